"""The offline scorer: multiple choice in the Global-MMLU / MMLU-ProX schema, scored in this process exactly as
lm-evaluation-harness 0.4.13 scores its ``global_mmlu_full_<lang>`` tasks (``_<lang>_template_yaml``): the context
is ``{question.strip()}\nA. …\nB. …\nC. …\nD. …\nAnswer:`` with no chat template and no shots, each option is the
continuation `` A``, `` B``, …, its log-likelihood the sum over the continuation's tokens (tokenised and truncated as
lm-eval's HFLM does, :func:`encode_pair`), and ``acc`` is 1 where the correct letter's log-likelihood is the highest.
``harness.py`` runs lm-eval itself; ``trainer/tests/test_eval_lm_eval.py`` holds the two to the same figures.

MMLU-ProX rows (up to ten options) are scored the same way, but lm-eval's own ``mmlu_prox_<lang>`` tasks are
generative (``generate_until``: 5-shot chain of thought, up to 2048 new tokens, ``exact_match`` on the letter a regex
extracts from "… is (X)"), so offline MMLU-ProX figures compare with each other, not with lm-eval's."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import torch

SCHEMAS = {
    "global-mmlu": {"options": ["option_a", "option_b", "option_c", "option_d"], "answer": "answer", "dataset": "CohereForAI/Global-MMLU"},
    "mmlu-prox": {"options": [f"option_{i}" for i in range(10)], "answer": "answer", "dataset": "li-lab/MMLU-ProX"},
}
LETTERS = "ABCDEFGHIJ"


def load_rows(schema: str, language: str, split: str = "test", data_files: str | None = None, limit: int | None = None) -> list[dict]:
    """Rows through the Hugging Face loaders: the hub dataset's config for ``language``, or local files in its schema
    (``data_files``: JSON/JSONL/Parquet)."""
    from datasets import load_dataset

    if data_files:
        kind = "parquet" if data_files.endswith(".parquet") else "json"
        dataset = load_dataset(kind, data_files=data_files, split="train")
    else:
        dataset = load_dataset(SCHEMAS[schema]["dataset"], language, split=split)
    if limit:
        dataset = dataset.select(range(min(limit, len(dataset))))
    return list(dataset)


def prompt_for(row: Mapping, schema: str) -> tuple[str, str]:
    """(context, letters) for one question, lm-eval's ``doc_to_text``; options that are empty (MMLU-ProX pads to 10)
    are left out."""
    options = [(LETTERS[i], row[f]) for i, f in enumerate(SCHEMAS[schema]["options"]) if row.get(f) not in (None, "")]
    body = "\n".join(f"{letter}. {text}" for letter, text in options)
    return f"{str(row['question']).strip()}\n{body}\nAnswer:", "".join(l for l, _ in options)


def encode_pair(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """(context tokens, continuation tokens) as lm-eval 0.4.13's HFLM makes them for a causal model: trailing spaces of
    the context move to the continuation; both strings get the tokenizer's default special tokens (a BOS where the
    tokenizer adds one, none where the text starts with it); the continuation's tokens are those of
    context + continuation after the context's."""
    spaces = len(context) - len(context.rstrip())
    if spaces:
        context, continuation = context[:-spaces], context[-spaces:] + continuation
    whole = _encode(tokenizer, context + continuation)
    context_tokens = _encode(tokenizer, context)
    return context_tokens, whole[len(context_tokens) :]


def _prefix_token_id(tokenizer) -> int:
    return tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id


def _encode(tokenizer, text: str) -> list[int]:
    prefix = tokenizer.decode([_prefix_token_id(tokenizer)]) if _prefix_token_id(tokenizer) is not None else None
    if prefix and text.startswith(prefix):
        return tokenizer.encode(text, add_special_tokens=False)
    return tokenizer.encode(text)


def max_length(model, tokenizer) -> int:
    """The longest input lm-eval's HFLM feeds this model (its ``max_length`` property): the config's context length,
    else the tokenizer's, else 2048."""
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        if hasattr(model.config, attr):
            return int(getattr(model.config, attr))
    limit = getattr(tokenizer, "model_max_length", None)
    return int(limit) if limit and limit < 10**18 else 2048


def loglikelihoods(model, tokenizer, context: str, continuations: list[str]) -> list[float]:
    """log P(continuation | context) for each continuation, summed over its tokens, computed as lm-eval's HFLM
    computes it: the input is context + continuation without its last token (left-truncated to ``max_length`` + 1
    tokens first), log-softmax in the model's dtype over the continuation's positions. Continuations whose input is
    the same (one-token choices after one context) share one forward pass, as lm-eval's context cache does."""
    device = next(model.parameters()).device
    limit = max_length(model, tokenizer)
    cache: dict[tuple[int, ...], torch.Tensor] = {}
    out = []
    for continuation in continuations:
        context_tokens, continuation_tokens = encode_pair(tokenizer, context, continuation)
        whole = (context_tokens + continuation_tokens)[-(limit + 1) :]
        key = tuple(whole[:-1])
        if key not in cache:
            cache[key] = torch.log_softmax(model(input_ids=torch.tensor([key], device=device)).logits[0], dim=-1)
        logprobs = cache[key][-len(continuation_tokens) :]
        picked = torch.gather(logprobs, 1, torch.tensor(continuation_tokens, device=device)[:, None])
        out.append(float(picked.sum()))
    return out


def loglikelihood(model, tokenizer, context: str, continuation: str) -> float:
    """log P(continuation | context), lm-eval's way (:func:`loglikelihoods`)."""
    return loglikelihoods(model, tokenizer, context, [continuation])[0]


@dataclass
class EvalResult:
    language: str
    n: int
    accuracy: float
    samples: list[dict] = field(default_factory=list)
    """One record per question: ``doc_id``, ``target``, ``loglikelihoods`` (per option), ``choice``, ``acc``."""

    @property
    def stderr(self) -> float:
        """Standard error of the mean accuracy, as lm-eval computes it (sample standard deviation / √n)."""
        if self.n < 2:
            return float("nan")
        return math.sqrt(self.accuracy * (1.0 - self.accuracy) / (self.n - 1))


TASK_PREFIXES = {"global_mmlu_full_": "global-mmlu", "mmlu_prox_": "mmlu-prox"}


@dataclass(frozen=True)
class EvalTask:
    """One evaluation: a schema and a language, named as lm-eval names the task."""

    schema: str
    language: str

    @classmethod
    def parse(cls, text: str, default_schema: str = "global-mmlu") -> EvalTask:
        """``sw`` (with ``default_schema``) or an lm-eval task name: ``global_mmlu_full_sw``, ``mmlu_prox_sw``."""
        from .errors import UsageError

        if default_schema not in SCHEMAS:
            raise UsageError(f"--schema must be one of {', '.join(SCHEMAS)}, got {default_schema!r}")
        for prefix, schema in TASK_PREFIXES.items():
            if text.startswith(prefix):
                return cls(schema, text[len(prefix) :])
        if "_" in text:
            raise UsageError(f"unknown task '{text}': use a language code or global_mmlu_full_<lang> / mmlu_prox_<lang>")
        return cls(default_schema, text)

    @property
    def name(self) -> str:
        prefix = next(p for p, s in TASK_PREFIXES.items() if s == self.schema)
        return prefix + self.language


def run_offline(base: str, tasks: list[EvalTask], adapters: list, data_files: list[str], split: str = "test", limit: int | None = None,
                dtype: str = "float32") -> dict:  # fmt: skip
    """Score each task with the base model (and the task's adapter, in order, where given) in this process, without
    lm-eval; the result in lm-eval's layout (``results``, ``configs``, ``n-samples``) plus ``samples`` (per question:
    the options' log-likelihoods and the choice) and ``models`` (what scored each task)."""
    from peft import PeftModel

    from .training import TrainConfig, load_base

    results: dict = {"results": {}, "configs": {}, "n-samples": {}, "samples": {}, "models": {}, "harness": "offline",
                     "config": {"model": "hf", "model_args": f"pretrained={base}", "dtype": dtype, "limit": limit}}  # fmt: skip
    for i, task in enumerate(tasks):
        model, tokenizer = load_base(base, TrainConfig(dtype=dtype))
        name = "base"
        if i < len(adapters):
            model, name = PeftModel.from_pretrained(model, str(adapters[i])), f"peft={adapters[i]}"
        rows = load_rows(task.schema, task.language, split, data_files[i] if i < len(data_files) else None, limit)
        result = score(model, tokenizer, rows, task.schema, task.language)
        results["results"][task.name] = {"name": task.name, "alias": task.name, "sample_len": result.n, "acc,none": result.accuracy,
                                         "acc_stderr,none": result.stderr}  # fmt: skip
        results["n-samples"][task.name] = {"original": result.n, "effective": result.n}
        results["samples"][task.name] = result.samples
        results["models"][task.name] = name
        results["configs"][task.name] = {
            "task": task.name,
            "dataset_path": data_files[i] if i < len(data_files) else SCHEMAS[task.schema]["dataset"],
            "test_split": split,
            "output_type": "multiple_choice",
            "doc_to_text": "{{question.strip()}}\n"
            + "\n".join(f"{LETTERS[j]}. {{{{{f}}}}}" for j, f in enumerate(SCHEMAS[task.schema]["options"]))
            + "\nAnswer:",
            "doc_to_choice": list(LETTERS[: len(SCHEMAS[task.schema]["options"])]),
            "doc_to_target": SCHEMAS[task.schema]["answer"],
            "target_delimiter": " ",
            "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
        }
    return results


@torch.no_grad()
def score(model, tokenizer, rows: Iterable[Mapping], schema: str, language: str) -> EvalResult:
    """Accuracy over ``rows``: lm-eval's ``acc`` (the option with the highest log-likelihood is the choice, the first
    of equals as ``np.argmax`` takes it)."""
    model.eval()
    samples = []
    for doc_id, row in enumerate(rows):
        context, letters = prompt_for(row, schema)
        likelihoods = loglikelihoods(model, tokenizer, context, [f" {letter}" for letter in letters])
        choice = letters[max(range(len(letters)), key=likelihoods.__getitem__)]
        target = str(row[SCHEMAS[schema]["answer"]]).strip().upper()
        samples.append({"doc_id": doc_id, "target": target, "loglikelihoods": likelihoods, "choice": choice, "acc": float(choice == target)})
    correct = sum(s["acc"] for s in samples)
    return EvalResult(language, len(samples), correct / len(samples) if samples else float("nan"), samples)
