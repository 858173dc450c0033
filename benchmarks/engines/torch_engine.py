"""PyTorch (eager, CPU). W1d: nn.RNN(relu) + nn.Linear; W1s: nn.RNNCell loop with the Linear
applied at every step; W2: nn.RNN(tanh) + Linear on h_T; W3: nn.LSTM + Linear on h_T;
W4: W1d's model under torch.inference_mode(). torch.optim.Adam(lr=0.001)."""
import numpy as np
import torch
from torch import nn

from ._common import init_params, N_INPUTS


def info():
    return "PyTorch %s, intra-op threads %d, inter-op threads %d (defaults), flush-denormal off" % (
        torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads())


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


class ReluRNNProjection(nn.Module):
    def __init__(self, static):
        super().__init__()
        K, b, Wo, bo = init_params("W1d")
        self.static = static
        if static:
            self.rnn = nn.RNNCell(1, 100, nonlinearity="relu")
        else:
            self.rnn = nn.RNN(1, 100, nonlinearity="relu", batch_first=True)
        self.proj = nn.Linear(100, 1)
        with torch.no_grad():
            sfx = "" if static else "_l0"
            getattr(self.rnn, "weight_ih" + sfx).copy_(_t(K[:1].T))
            getattr(self.rnn, "weight_hh" + sfx).copy_(_t(K[1:].T))
            getattr(self.rnn, "bias_ih" + sfx).copy_(_t(b))
            getattr(self.rnn, "bias_hh" + sfx).zero_()
            self.proj.weight.copy_(_t(Wo.T))
            self.proj.bias.copy_(_t(bo))

    def forward(self, X):                       # X [B, T, 1] -> [B, T, 1]
        if not self.static:
            H, _ = self.rnn(X)
            return self.proj(H)
        h = X.new_zeros(X.shape[0], 100)
        outs = []
        for t in range(X.shape[1]):
            h = self.rnn(X[:, t], h)
            outs.append(self.proj(h))
        return torch.stack(outs, 1)


class TanhRNNHead(nn.Module):
    def __init__(self):
        super().__init__()
        K, b, W, c = init_params("W2")
        self.rnn = nn.RNN(4, 32, nonlinearity="tanh", batch_first=True)
        self.head = nn.Linear(32, 1)
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(_t(K[:4].T))
            self.rnn.weight_hh_l0.copy_(_t(K[4:].T))
            self.rnn.bias_ih_l0.copy_(_t(b))
            self.rnn.bias_hh_l0.zero_()
            self.head.weight.copy_(_t(W.T))
            self.head.bias.copy_(_t(c))

    def forward(self, X):
        _, h = self.rnn(X)
        return self.head(h[0])


class LSTMClassifier(nn.Module):
    """TF's gate order i, j, f, o -> torch's i, f, g(=j), o. BasicLSTMCell's constant
    forget_bias=1.0 becomes the initial value of bias_hh's forget slice (trainable here)."""

    def __init__(self):
        super().__init__()
        K, b, W, c = init_params("W3")
        n = 256
        i, j, f, o = (np.arange(k * n, (k + 1) * n) for k in range(4))
        perm = np.concatenate([i, f, j, o])
        self.rnn = nn.LSTM(64, n, batch_first=True)
        self.head = nn.Linear(n, 10)
        bhh = np.zeros(4 * n, np.float32)
        bhh[n:2 * n] = 1.0
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(_t(K[:64, perm].T))
            self.rnn.weight_hh_l0.copy_(_t(K[64:, perm].T))
            self.rnn.bias_ih_l0.copy_(_t(b[perm]))
            self.rnn.bias_hh_l0.copy_(_t(bhh))
            self.head.weight.copy_(_t(W.T))
            self.head.bias.copy_(_t(c))

    def forward(self, X):
        _, (h, _) = self.rnn(X)
        return self.head(h[0])


def step(workload):
    torch.manual_seed(0)
    if workload in ("W1d", "W1s", "W4"):
        model = ReluRNNProjection(static=workload == "W1s")
        loss_fn = nn.MSELoss()
    elif workload == "W2":
        model = TanhRNNHead()
        loss_fn = nn.MSELoss()
    else:
        model = LSTMClassifier()
        loss_fn = nn.CrossEntropyLoss()
    if workload == "W4":
        model.eval()

        def infer(X, y):
            with torch.inference_mode():
                return model(torch.from_numpy(X)).numpy()
        return infer
    opt = torch.optim.Adam(model.parameters(), lr=0.001)

    def train(X, y):
        Xt = torch.from_numpy(X)
        yt = torch.from_numpy(y.astype(np.int64)) if workload == "W3" else torch.from_numpy(y)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), yt)
        loss.backward()
        opt.step()
        return loss.item()
    return train
