"""Hand-written NumPy implementations of the benchmark workloads: the speed floor.

Each model does its forward pass, backpropagation through time and a TF1 Adam step
with plain NumPy, as fast as we know how to write it: input projections of all
time steps in one matmul, per-step work on preallocated buffers, weight gradients
as one matmul over all steps, transposed weights kept contiguous.

`python benchmarks/reference_numpy.py --check` verifies every gradient against
central finite differences in float64.
"""
import numpy as np


class Adam:
    """TF1's Adam: lr_t = lr*sqrt(1-b2^t)/(1-b1^t); var -= lr_t*m/(sqrt(v)+eps)."""

    def __init__(self, params, lr=0.001, b1=0.9, b2=0.999, eps=1e-8):
        self.params, self.lr, self.b1, self.b2, self.eps = params, lr, b1, b2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.b1p, self.b2p = b1, b2

    def step(self, grads):
        lr_t = self.lr * np.sqrt(1 - self.b2p) / (1 - self.b1p)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= lr_t * m / (np.sqrt(v) + self.eps)
        self.b1p *= self.b1
        self.b2p *= self.b2


def glorot(rng, shape, dtype):
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


class ReluRNNProjection:
    """W1/W4: BasicRNNCell(relu) + OutputProjectionWrapper(1), MSE loss."""

    def __init__(self, n_inputs=1, n_neurons=100, n_outputs=1, seed=0, dtype=np.float32):
        rng = np.random.RandomState(seed)
        self.K = glorot(rng, (n_inputs + n_neurons, n_neurons), dtype)
        self.b = np.zeros(n_neurons, dtype)
        self.Wo = glorot(rng, (n_neurons, n_outputs), dtype)
        self.bo = np.zeros(n_outputs, dtype)
        self.n_inputs = n_inputs
        self.params = [self.K, self.b, self.Wo, self.bo]

    def forward(self, X):
        """X [B, T, n_in] -> outputs [B, T, n_out]; keeps the states for backward."""
        B, T, n_in = X.shape
        Kx, Kh = self.K[:n_in], self.K[n_in:]
        xs = np.ascontiguousarray(X.transpose(1, 0, 2))           # [T, B, n_in]
        Z = (xs.reshape(T * B, n_in) @ Kx).reshape(T, B, -1)      # all input projections at once
        Z += self.b
        H = np.empty_like(Z)
        h = np.zeros((B, Kh.shape[0]), X.dtype)
        for t in range(T):
            z = Z[t]
            z += h @ Kh
            h = H[t]
            np.maximum(z, 0, out=h)
        out = (H.reshape(T * B, -1) @ self.Wo + self.bo).reshape(T, B, -1)
        self.cache = (xs, Z, H)
        return out.transpose(1, 0, 2)

    def loss_and_grads(self, X, y):
        out = self.forward(X)
        diff = out - y
        loss = np.mean(diff * diff)
        xs, Z, H = self.cache
        T, B, n = H.shape
        n_in = self.n_inputs
        dout = (2.0 / diff.size) * diff.transpose(1, 0, 2).reshape(T * B, -1)
        Hf = H.reshape(T * B, n)
        dWo = Hf.T @ dout
        dbo = dout.sum(0)
        dH = (dout @ self.Wo.T).reshape(T, B, n)
        KhT = np.ascontiguousarray(self.K[n_in:].T)
        dZ = np.empty_like(Z)
        dh = np.zeros((B, n), X.dtype)
        for t in range(T - 1, -1, -1):
            dz = dZ[t]
            np.add(dH[t], dh, out=dz)
            dz *= Z[t] > 0
            dh = dz @ KhT
        dZf = dZ.reshape(T * B, n)
        dK = np.empty_like(self.K)
        dK[:n_in] = xs.reshape(T * B, n_in).T @ dZf
        dK[n_in:] = H[:-1].reshape((T - 1) * B, n).T @ dZ[1:].reshape((T - 1) * B, n)
        db = dZf.sum(0)
        return loss, [dK, db, dWo, dbo]


class TanhRNNHead:
    """W2: BasicRNNCell(tanh) over a long sequence, dense head on the final state, MSE."""

    def __init__(self, n_inputs=4, n_neurons=32, seed=0, dtype=np.float32, early_stop=True):
        rng = np.random.RandomState(seed)
        self.K = glorot(rng, (n_inputs + n_neurons, n_neurons), dtype)
        self.b = np.zeros(n_neurons, dtype)
        self.W = glorot(rng, (n_neurons, 1), dtype)
        self.c = np.zeros(1, dtype)
        self.n_inputs = n_inputs
        self.early_stop = early_stop
        self.params = [self.K, self.b, self.W, self.c]

    def loss_and_grads(self, X, target):
        B, T, n_in = X.shape
        n = self.K.shape[1]
        Kx, Kh = self.K[:n_in], self.K[n_in:]
        xs = np.ascontiguousarray(X.transpose(1, 0, 2))
        H = (xs.reshape(T * B, n_in) @ Kx).reshape(T, B, n)
        H += self.b
        h = np.zeros((B, n), X.dtype)
        for t in range(T):
            a = H[t]
            a += h @ Kh
            np.tanh(a, out=a)
            h = a
        pred = h @ self.W + self.c
        diff = pred - target
        loss = np.mean(diff * diff)
        dpred = (2.0 / diff.size) * diff
        dW = h.T @ dpred
        dc = dpred.sum(0)
        dh = dpred @ self.W.T
        KhT = np.ascontiguousarray(Kh.T)
        dZ = np.zeros_like(H)
        first = 0
        for t in range(T - 1, -1, -1):
            dz = dZ[t]
            np.multiply(dh, 1 - H[t] * H[t], out=dz)
            # Vanishing gradients: once the carried gradient underflows it stays (sub)normal noise
            # that changes nothing in float32 but costs a lot; stop as the hand-written
            # reference in ../shared/bench does.
            if self.early_stop and not np.any(np.abs(dz) > 1e-30):
                first = t + 1
                dZ[t] = 0
                break
            dh = dz @ KhT
        dZf = dZ[first:].reshape(-1, n)
        dK = np.empty_like(self.K)
        dK[:n_in] = xs[first:].reshape(-1, n_in).T @ dZf
        Hprev = np.concatenate([np.zeros((1, B, n), X.dtype), H[:-1]])[first:]
        dK[n_in:] = Hprev.reshape(-1, n).T @ dZf
        db = dZf.sum(0)
        return loss, [dK, db, dW, dc]


def _sigmoid(x, out=None):
    out = np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)
    return out


class LSTMClassifier:
    """W3: BasicLSTMCell (gates i, j, f, o; forget_bias 1), dense head on final h,
    mean sparse softmax cross-entropy."""

    def __init__(self, n_inputs=64, n_neurons=256, n_classes=10, seed=0, dtype=np.float32):
        rng = np.random.RandomState(seed)
        self.K = glorot(rng, (n_inputs + n_neurons, 4 * n_neurons), dtype)
        self.b = np.zeros(4 * n_neurons, dtype)
        self.W = glorot(rng, (n_neurons, n_classes), dtype)
        self.c = np.zeros(n_classes, dtype)
        self.n_inputs = n_inputs
        self.params = [self.K, self.b, self.W, self.c]

    def loss_and_grads(self, X, labels):
        B, T, n_in = X.shape
        n = self.K.shape[1] // 4
        Kx, Kh = self.K[:n_in], self.K[n_in:]
        xs = np.ascontiguousarray(X.transpose(1, 0, 2))
        G = (xs.reshape(T * B, n_in) @ Kx).reshape(T, B, 4 * n)   # pre-activations, then gates
        G += self.b
        C = np.empty((T, B, n), X.dtype)
        Hs = np.empty((T, B, n), X.dtype)
        TC = np.empty((T, B, n), X.dtype)
        h = np.zeros((B, n), X.dtype)
        c = np.zeros((B, n), X.dtype)
        for t in range(T):
            g = G[t]
            g += h @ Kh
            i, j, f, o = g[:, :n], g[:, n:2 * n], g[:, 2 * n:3 * n], g[:, 3 * n:]
            _sigmoid(i, out=i)
            np.tanh(j, out=j)
            f += 1.0
            _sigmoid(f, out=f)
            _sigmoid(o, out=o)
            c = np.multiply(c, f, out=C[t])
            c += i * j
            np.tanh(c, out=TC[t])
            h = np.multiply(TC[t], o, out=Hs[t])
        logits = h @ self.W + self.c
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(B), labels]))
        dlogits = p
        dlogits[np.arange(B), labels] -= 1
        dlogits /= B
        dW = h.T @ dlogits
        dc = dlogits.sum(0)
        dh = dlogits @ self.W.T
        dc_next = np.zeros((B, n), X.dtype)
        KhT = np.ascontiguousarray(Kh.T)
        dG = np.empty_like(G)
        for t in range(T - 1, -1, -1):
            g = G[t]
            i, j, f, o = g[:, :n], g[:, n:2 * n], g[:, 2 * n:3 * n], g[:, 3 * n:]
            tc = TC[t]
            c_prev = C[t - 1] if t > 0 else np.zeros((B, n), X.dtype)
            dct = dh * o * (1 - tc * tc) + dc_next
            dg = dG[t]
            dg[:, :n] = dct * j * i * (1 - i)
            dg[:, n:2 * n] = dct * i * (1 - j * j)
            dg[:, 2 * n:3 * n] = dct * c_prev * f * (1 - f)
            dg[:, 3 * n:] = dh * tc * o * (1 - o)
            dc_next = dct * f
            dh = dg @ KhT
        dGf = dG.reshape(T * B, 4 * n)
        dK = np.empty_like(self.K)
        dK[:n_in] = xs.reshape(T * B, n_in).T @ dGf
        dK[n_in:] = Hs[:-1].reshape((T - 1) * B, n).T @ dG[1:].reshape((T - 1) * B, 4 * n)
        db = dGf.sum(0)
        return loss, [dK, db, dW, dc]


def check_gradients(model, X, y, n_probe=6, eps=1e-6, seed=0):
    """Central differences in float64 on a few random entries of every parameter."""
    rng = np.random.RandomState(seed)
    loss, grads = model.loss_and_grads(X, y)
    worst = 0.0
    for p, g in zip(model.params, grads):
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for k in rng.choice(flat.size, size=min(n_probe, flat.size), replace=False):
            old = flat[k]
            flat[k] = old + eps
            lp = model.loss_and_grads(X, y)[0]
            flat[k] = old - eps
            lm = model.loss_and_grads(X, y)[0]
            flat[k] = old
            num = (lp - lm) / (2 * eps)
            worst = max(worst, abs(num - gflat[k]) / max(1e-6, abs(num) + abs(gflat[k])))
    return worst


def _self_check():
    rng = np.random.RandomState(1)
    cases = [
        ("W1 relu RNN + projection", ReluRNNProjection(seed=1, dtype=np.float64, n_neurons=8),
         rng.randn(3, 5, 1), rng.randn(3, 5, 1)),
        ("W2 tanh RNN + head", TanhRNNHead(seed=2, dtype=np.float64, n_neurons=6, early_stop=False),
         rng.randn(3, 7, 4), rng.randn(3, 1)),
        ("W3 LSTM classifier", LSTMClassifier(n_inputs=5, n_neurons=6, n_classes=4, seed=3, dtype=np.float64),
         rng.randn(3, 4, 5), rng.randint(0, 4, 3)),
    ]
    ok = True
    for name, model, X, y in cases:
        err = check_gradients(model, X, y)
        print("%-28s max relative gradient error %.2e" % (name, err))
        ok &= err < 1e-5
    return ok


if __name__ == "__main__":
    import sys
    sys.exit(0 if _self_check() else 1)
