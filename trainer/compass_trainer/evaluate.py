"""Multiple-choice evaluation in the Global-MMLU / MMLU-ProX schema: the answer is the option letter with the
highest log-likelihood as the first token of the assistant's reply."""

from __future__ import annotations

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
