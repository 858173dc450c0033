"""tf.contrib.framework: `arg_scope` and `add_arg_scope` (as TF 1.x's contrib and slim).

    @add_arg_scope
    def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, ...): ...

    with arg_scope([fully_connected], activation_fn=tf.nn.elu, normalizer_fn=batch_norm):
        h = fully_connected(x, 300)   # activation_fn=tf.nn.elu, normalizer_fn=batch_norm

Arguments given at the call win over the scope's; nested scopes add to (and override)
the enclosing ones.
"""
import contextlib
import functools

__all__ = ["arg_scope", "add_arg_scope", "has_arg_scope", "arg_scoped_arguments",
           "current_arg_scope"]

_ARG_SCOPE_STACK = []
_DECORATED = {}  # key -> the argument names the function takes


def current_arg_scope():
    """The arg scope in force: {function key: {argument: value}}."""
    return _ARG_SCOPE_STACK[-1] if _ARG_SCOPE_STACK else {}


def _key(fn):
    return getattr(fn, "_key_op", str(fn))


def _name(fn):
    return getattr(fn, "__name__", str(fn))


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets default arguments of the listed @add_arg_scope functions inside the block.

    Args:
      list_ops_or_scope: a list or tuple of functions, or a scope dict (as yielded by an
        earlier arg_scope) to re-enter; then no kwargs may be given.
      **kwargs: the default arguments.

    Yields:
      The scope now in force (a dict, re-enterable later).

    Raises:
      ValueError: kwargs given with a scope dict, or a function not decorated with
        @add_arg_scope.
      TypeError: list_ops_or_scope is neither a list/tuple nor a dict.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        _ARG_SCOPE_STACK.append(list_ops_or_scope)
        try:
            yield list_ops_or_scope
        finally:
            _ARG_SCOPE_STACK.pop()
        return
    if not isinstance(list_ops_or_scope, (list, tuple)):
        raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope "
                        "(i.e. dict)")
    scope = {k: dict(v) for k, v in current_arg_scope().items()}
    for op in list_ops_or_scope:
        key = _key(op)
        if key not in _DECORATED:
            raise ValueError("%s is not decorated with @add_arg_scope" % _name(op))
        scope.setdefault(key, {}).update(kwargs)
    _ARG_SCOPE_STACK.append(scope)
    try:
        yield scope
    finally:
        _ARG_SCOPE_STACK.pop()


def add_arg_scope(func):
    """Decorator: lets `arg_scope` supply default arguments of `func`."""
    key = _key(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        defaults = current_arg_scope().get(key)
        if defaults:
            merged = dict(defaults)
            merged.update(kwargs)
            kwargs = merged
        return func(*args, **kwargs)
    code = func.__code__
    _DECORATED[key] = code.co_varnames[:code.co_argcount]
    wrapper._key_op = key
    return wrapper


def has_arg_scope(func):
    """Whether `func` is decorated with @add_arg_scope."""
    return _key(func) in _DECORATED


def arg_scoped_arguments(func):
    """The argument names of an @add_arg_scope function."""
    return list(_DECORATED[_key(func)])
