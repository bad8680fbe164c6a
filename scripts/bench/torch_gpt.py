#!/usr/bin/python3
"""PyTorch peer for scalelab's GPT training-speed benchmark (CPU, float32).

What it measures
    Training throughput (tokens/second) of a small GPT-style decoder on CPU:
    each timed step is forward, cross-entropy loss, backward, global-norm
    gradient clipping, AdamW step and zero_grad(set_to_none=True). Warm-up
    steps run first and are not timed. Per-phase medians (forward incl. loss,
    backward, optimizer incl. clip and zero_grad) are reported alongside.

How it mirrors scalelab's Java trainer
    * wte [V, C] token embedding + learned wpe [T, C] position embedding.
    * `layers` pre-LayerNorm blocks:
          x = x + proj(attn(ln1(x)))
          x = x + fc2(gelu_tanh(fc(ln2(x))))
      then a final LayerNorm; logits = lnf(x) @ wte.T (tied), or a separate
      Linear(C, V, bias=False) with --untied.
    * Attention: fused Linear(C, 3C) for q, k, v; H heads of size C/H; causal
      softmax with scale 1/sqrt(C/H); output projection Linear(C, C).
      Written out explicitly by default; --sdpa uses
      F.scaled_dot_product_attention when this torch has it (torch >= 2.0;
      Debian bookworm's 1.13 does not, so it falls back with a note on stderr).
    * MLP: Linear(C, 4C) -> GELU (tanh approximation) -> Linear(4C, C).
    * LayerNorm eps 1e-5 with affine weight and bias.
    * GPT-2 init: N(0, 0.02) for Linear weights and embeddings, zero biases,
      N(0, 0.02/sqrt(2*layers)) for the residual projections (attn proj, fc2).
    * AdamW(lr, betas (0.9, 0.95), eps 1e-8), weight decay 0.1 on matrices
      only (none on biases, LayerNorm, embeddings), clip global norm 1.0.
    * Data: uniform random tokens in [0, V), batch [B, T+1]; inputs [:, :-1],
      targets [:, 1:]; cross-entropy averaged over B*T.

Output: exactly one JSON line on stdout. Nothing is downloaded at run time.

Usage (Debian's torch lives in the system python, not the pyenv one):
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/bench/torch_gpt.py --steps 20

BLAS caveat: Debian's torch 1.13 is built without MKL and does its matrix
products through whatever libblas.so.3 the system's alternatives select. With
only python3-torch installed that is the single-threaded reference (netlib)
BLAS, roughly 10x slower here than OpenBLAS. For a fair peer, run it against
OpenBLAS (as the Java side's ND4J uses), e.g. with libopenblas0-pthread
installed, or by pointing the loader at it:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread \\
    OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE \\
    /usr/bin/python3 scripts/bench/torch_gpt.py --threads 2 --steps 20
"""

import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def _has_gelu_approximate():
    try:
        F.gelu(torch.zeros(1), approximate="tanh")
        return True
    except TypeError:
        return False


_GELU_APPROXIMATE = _has_gelu_approximate()
_HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


def gelu_tanh(x):
    """GELU, tanh approximation (as GPT-2 and scalelab use)."""
    if _GELU_APPROXIMATE:
        return F.gelu(x, approximate="tanh")
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, heads, context, use_sdpa):
        super().__init__()
        assert d_model % heads == 0, "d_model must be divisible by heads"
        self.heads = heads
        self.head_dim = d_model // heads
        self.use_sdpa = use_sdpa
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        # True above the diagonal = positions a query must not attend to.
        mask = torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        B, T, C = x.shape                                   # (B, T, C)
        q, k, v = self.qkv(x).split(C, dim=2)               # 3 x (B, T, C)
        # (B, T, C) -> (B, H, T, D)
        q = q.view(B, T, self.heads, self.head_dim).transpose(1, 2)
        k = k.view(B, T, self.heads, self.head_dim).transpose(1, 2)
        v = v.view(B, T, self.heads, self.head_dim).transpose(1, 2)
        if self.use_sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, H, T, D)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))  # (B, H, T, T)
            att = att.masked_fill(self.mask[:T, :T], float("-inf"))
            att = F.softmax(att, dim=-1)
            y = att @ v                                     # (B, H, T, D)
        y = y.transpose(1, 2).contiguous().view(B, T, C)    # (B, T, C)
        return self.proj(y)                                 # (B, T, C)


class MLP(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.fc2 = nn.Linear(4 * d_model, d_model)

    def forward(self, x):                                   # (B, T, C)
        return self.fc2(gelu_tanh(self.fc(x)))              # (B, T, 4C) -> (B, T, C)


class Block(nn.Module):
    def __init__(self, d_model, heads, context, use_sdpa):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model, eps=1e-5)
        self.attn = CausalSelfAttention(d_model, heads, context, use_sdpa)
        self.ln2 = nn.LayerNorm(d_model, eps=1e-5)
        self.mlp = MLP(d_model)

    def forward(self, x):                                   # (B, T, C)
        x = x + self.attn(self.ln1(x))
        x = x + self.mlp(self.ln2(x))
        return x


class GPT(nn.Module):
    def __init__(self, vocab, context, d_model, layers, heads, tied=True, use_sdpa=False):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)             # (V, C)
        self.wpe = nn.Embedding(context, d_model)           # (T, C)
        self.blocks = nn.ModuleList(
            [Block(d_model, heads, context, use_sdpa) for _ in range(layers)])
        self.lnf = nn.LayerNorm(d_model, eps=1e-5)
        self.lm_head = None if tied else nn.Linear(d_model, vocab, bias=False)
        self._init_weights(layers)

    def _init_weights(self, layers):
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        # Residual output projections get a depth-scaled std (GPT-2).
        residual_std = 0.02 / math.sqrt(2 * layers)
        for block in self.blocks:
            nn.init.normal_(block.attn.proj.weight, mean=0.0, std=residual_std)
            nn.init.normal_(block.mlp.fc2.weight, mean=0.0, std=residual_std)

    def forward(self, idx):                                 # (B, T) int64
        B, T = idx.shape
        pos = torch.arange(T, device=idx.device)            # (T,)
        x = self.wte(idx) + self.wpe(pos)                   # (B, T, C)
        for block in self.blocks:
            x = block(x)                                    # (B, T, C)
        x = self.lnf(x)                                     # (B, T, C)
        if self.lm_head is None:
            return x @ self.wte.weight.t()                  # (B, T, V)
        return self.lm_head(x)                              # (B, T, V)


def make_optimizer(model, lr, weight_decay):
    """AdamW with decay on matrices only: Linear weights (incl. an untied
    head). Biases, LayerNorm parameters and embeddings are not decayed."""
    embeddings = {id(model.wte.weight), id(model.wpe.weight)}
    decay, no_decay = [], []
    for p in model.parameters():                            # tied wte appears once
        if p.dim() == 2 and id(p) not in embeddings:
            decay.append(p)
        else:
            no_decay.append(p)
    groups = [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), eps=1e-8)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--context", type=int, default=128)
    p.add_argument("--vocab", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=20, help="timed steps")
    p.add_argument("--warmup-steps", type=int, default=3, help="untimed steps before timing")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--untied", action="store_true", help="separate Linear(C, V) output head")
    p.add_argument("--sdpa", action="store_true",
                   help="use F.scaled_dot_product_attention if available (torch >= 2.0)")
    # Sanity-check aids, not part of the benchmark interface.
    p.add_argument("--bf16", action="store_true",
                   help="forward and loss under torch.autocast('cpu', dtype=torch.bfloat16): bf16 matrix "
                        "multiplies, float32 weights and optimizer")
    p.add_argument("--fixed-batch", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set, or parallel work has already started
    torch.manual_seed(args.seed)

    use_sdpa = args.sdpa and _HAS_SDPA
    if args.sdpa and not _HAS_SDPA:
        print(f"note: torch {torch.__version__} has no F.scaled_dot_product_attention; "
              "using explicit attention", file=sys.stderr)

    V, T, C, L, B = args.vocab, args.context, args.d_model, args.layers, args.batch
    model = GPT(V, T, C, L, args.heads, tied=not args.untied, use_sdpa=use_sdpa)
    model.train()
    optimizer = make_optimizer(model, args.lr, weight_decay=0.1)
    params = [p for p in model.parameters()]

    def random_batch():
        tokens = torch.randint(0, V, (B, T + 1), dtype=torch.long)   # (B, T+1)
        return tokens[:, :-1], tokens[:, 1:]                          # (B, T), (B, T)

    fixed = random_batch() if args.fixed_batch else None

    step_times, fwd_times, bwd_times, opt_times = [], [], [], []
    loss_value = float("nan")
    total = args.warmup_steps + args.steps
    for step in range(total):
        inputs, targets = fixed if fixed is not None else random_batch()

        t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(inputs)                                    # (B, T, V)
            loss = F.cross_entropy(logits.view(-1, V).float(), targets.reshape(-1))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()

        loss_value = loss.item()
        if args.verbose:
            print(f"step {step:4d} loss {loss_value:.4f} {t3 - t0:.4f}s", file=sys.stderr)
        if step >= args.warmup_steps:
            step_times.append(t3 - t0)
            fwd_times.append(t1 - t0)
            bwd_times.append(t2 - t1)
            opt_times.append(t3 - t2)

    seconds = sum(step_times)
    tokens = args.steps * B * T
    tokens_per_second = tokens / seconds if seconds > 0 else 0.0
    non_embedding = L * (12 * C * C + 13 * C) + 2 * C
    flops_per_token = 6 * non_embedding + 6 * L * T * C

    def median(xs):
        return statistics.median(xs) if xs else 0.0

    result = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "d_model": C,
        "layers": L,
        "heads": args.heads,
        "context": T,
        "vocab": V,
        "batch": B,
        "threads": args.threads,
        "precision": "bf16-autocast" if args.bf16 else "fp32",
        "steps": args.steps,
        "seconds": seconds,
        "tokens_per_second": tokens_per_second,
        "step_seconds_median": median(step_times),
        "non_embedding_params": non_embedding,
        "flops_per_token_6n_attention": flops_per_token,
        "gflops_per_second": flops_per_token * tokens_per_second / 1e9,
        "final_loss": loss_value,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "phase_seconds_median": {
            "forward": median(fwd_times),
            "backward": median(bwd_times),
            "optimizer": median(opt_times),
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
