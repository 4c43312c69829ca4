"""Multiple-choice evaluation in the Global-MMLU / MMLU-ProX schema, scored as lm-evaluation-harness scores its
``global_mmlu_full_<lang>`` tasks (lm-eval 0.4.13, ``_<lang>_template_yaml``): the context is
``{question.strip()}\nA. …\nB. …\nC. …\nD. …\nAnswer:`` with no chat template, each choice is the continuation
`` A``, `` B``, …, its log-likelihood the sum over the continuation's tokens (tokenised as lm-eval does: the context,
then the rest of context + continuation), and ``acc`` is 1 where the correct letter's log-likelihood is the highest.
MMLU-ProX rows (up to ten options) are scored the same way; lm-eval's own ``mmlu_prox`` tasks are generative, so
those numbers are comparable with each other, not with lm-eval's."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


def loglikelihood(model, tokenizer, context: str, continuation: str) -> float:
    """log P(continuation | context), summed over the continuation's tokens; tokenised as lm-eval's HFLM does for a
    causal model (no special tokens; the continuation's tokens are those of context + continuation after the
    context's)."""
    whole = tokenizer(context + continuation, add_special_tokens=False)["input_ids"]
    n_context = len(tokenizer(context, add_special_tokens=False)["input_ids"])
    device = next(model.parameters()).device
    logits = model(input_ids=torch.tensor([whole], device=device)).logits[0].float()
    logprobs = torch.log_softmax(logits, dim=-1)
    return float(sum(logprobs[position - 1, whole[position]] for position in range(max(n_context, 1), len(whole))))


@dataclass
class EvalResult:
    language: str
    n: int
    accuracy: float

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


def run_eval(base: str, tasks: list[EvalTask], adapters: list, data_files: list[str], split: str = "test", limit: int | None = None) -> dict:
    """Score each task with the base model (and the task's adapter, in order, where given); lm-eval's result layout."""
    from peft import PeftModel

    from .training import TrainConfig, load_base

    results: dict = {"results": {}, "n-samples": {}, "configs": {}, "config": {"model": "hf", "model_args": f"pretrained={base}", "limit": limit}}
    for i, task in enumerate(tasks):
        model, tokenizer = load_base(base, TrainConfig(dtype="float32"))
        name = "base"
        if i < len(adapters):
            model, name = PeftModel.from_pretrained(model, str(adapters[i])), str(adapters[i])
        rows = load_rows(task.schema, task.language, split, data_files[i] if i < len(data_files) else None, limit)
        result = score(model, tokenizer, rows, task.schema, task.language)
        results["results"][task.name] = {
            "alias": task.name,
            "acc,none": result.accuracy,
            "acc_stderr,none": result.stderr,
            "model": name if name == "base" else f"peft={name}",
        }
        results["n-samples"][task.name] = {"original": result.n, "effective": result.n}
        results["configs"][task.name] = {
            "task": task.name,
            "dataset_path": data_files[i] if i < len(data_files) else SCHEMAS[task.schema]["dataset"],
            "test_split": split,
            "output_type": "multiple_choice",
            "metric_list": [{"metric": "acc"}],
        }
    return results


@torch.no_grad()
def score(model, tokenizer, rows: Iterable[Mapping], schema: str, language: str) -> EvalResult:
    """Accuracy over ``rows``: lm-eval's ``acc`` (the highest-likelihood letter is the answer)."""
    model.eval()
    correct = total = 0
    for row in rows:
        context, letters = prompt_for(row, schema)
        likelihoods = [loglikelihood(model, tokenizer, context, f" {letter}") for letter in letters]
        predicted = letters[max(range(len(letters)), key=likelihoods.__getitem__)]
        correct += int(predicted == str(row[SCHEMAS[schema]["answer"]]).strip().upper())
        total += 1
    return EvalResult(language, total, correct / total if total else float("nan"))
