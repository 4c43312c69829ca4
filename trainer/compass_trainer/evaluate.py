"""Multiple-choice evaluation in the Global-MMLU / MMLU-ProX schema: the answer is the option letter with the
highest log-likelihood as the first token of the assistant's reply."""

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
    """(prompt, letters) for one question; options that are empty (MMLU-ProX pads to 10) are left out."""
    options = [(LETTERS[i], row[f]) for i, f in enumerate(SCHEMAS[schema]["options"]) if row.get(f) not in (None, "")]
    body = "\n".join(f"{letter}. {text}" for letter, text in options)
    return f"{row['question']}\n{body}\nAnswer with the letter of the correct option.", "".join(l for l, _ in options)


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
        results["results"][task.name] = {"alias": task.name, "acc,none": result.accuracy, "acc_stderr,none": result.stderr,
                                         "model": name if name == "base" else f"peft={name}"}  # fmt: skip
        results["n-samples"][task.name] = {"original": result.n, "effective": result.n}
        results["configs"][task.name] = {"task": task.name, "dataset_path": data_files[i] if i < len(data_files) else SCHEMAS[task.schema]["dataset"],
                                         "test_split": split, "output_type": "multiple_choice", "metric_list": [{"metric": "acc"}]}  # fmt: skip
    return results


@torch.no_grad()
def score(model, tokenizer, rows: Iterable[Mapping], schema: str, language: str) -> EvalResult:
    device = next(model.parameters()).device
    model.eval()
    correct = total = 0
    for row in rows:
        prompt, letters = prompt_for(row, schema)
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True)
        ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"].to(device)
        logprobs = torch.log_softmax(model(input_ids=ids).logits[0, -1].float(), dim=-1)
        letter_ids = [tokenizer(letter, add_special_tokens=False)["input_ids"][0] for letter in letters]
        predicted = letters[int(torch.stack([logprobs[i] for i in letter_ids]).argmax())]
        answer = str(row[SCHEMAS[schema]["answer"]]).strip().upper()
        correct += int(predicted == answer)
        total += 1
    return EvalResult(language, total, correct / total if total else float("nan"))
