"""Generate the demo's synthetic sample data (never real people's data).

Run: .venv/bin/python examples/demo/make_data.py
Faker with a fixed seed makes the records (ages are relative to the day it runs, so the
committed files, not a rerun, are the reference). The masked copy plants known defects:

- email left raw (column declared ``mask``)                      -> residual identifier
- resident ID mask keeps the birth date (110101199003******)     -> over-revealing mask
- phone replaced by an unsalted SHA-256 of the raw number        -> dictionary-reversible hash
- one record alone in its (gender, age band, city) class         -> k = 1
- a free-text note still holding a mobile number                 -> residual identifier

Names, bank cards, addresses and postcodes are treated correctly and must show no defect.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from pathlib import Path

from faker import Faker

SEED = 20261128
ROWS = 121  # the last record (the planted k = 1 one) is a Chinese record
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

CITIES = ["北京市", "上海市", "广州市"]
DIAGNOSES = ["高血压", "糖尿病", "哮喘", "无"]
NOTES_ZH = ["客户咨询退款进度", "客户要求更换收货地址", "客户投诉物流延迟", "客户询问会员积分"]
NOTES_EN = ["Asked about refund status", "Wants to change delivery slot", "Complained about delay"]


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to ``prefix``."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def bank_card(rng: random.Random) -> str:
    return luhn_complete("622202" + "".join(str(rng.randrange(10)) for _ in range(12)))


def age_band(age: int) -> str:
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def make_records() -> list[dict[str, str]]:
    zh = Faker("zh_CN")
    en = Faker("en_US")
    zh.seed_instance(SEED)
    en.seed_instance(SEED)
    rng = random.Random(SEED)
    records = []
    for i in range(1, ROWS + 1):
        chinese = i % 5 != 0
        fake = zh if chinese else en
        age = rng.choice([25, 28, 33, 36, 44, 47])
        record = {
            "customer_id": f"C{i:04d}",
            "姓名": fake.name(),
            "身份证号": zh.ssn(min_age=age, max_age=age) if chinese else "",
            "手机号": zh.phone_number() if chinese else en.numerify("+1 415-###-####"),
            "email": personal_email(fake.email()),
            "bank_card": bank_card(rng),
            "address": zh.address() if chinese else en.address().replace("\n", ", "),
            "gender": rng.choice(["男", "女"]),
            "age": str(age),
            "city": rng.choice(CITIES),
            "postcode": zh.postcode(),
            "diagnosis": rng.choice(DIAGNOSES),
            "notes": rng.choice(NOTES_ZH if chinese else NOTES_EN),
        }
        records.append(record)
    # The planted k = 1 record: the only 80-89 year old in 拉萨市.
    records[-1].update(age="83", city="拉萨市", 身份证号=zh.ssn(min_age=83, max_age=83))
    # A free-text note that still carries a phone number, glued to Chinese text.
    records[7]["notes"] = f"客户来电，手机号{records[7]['手机号']}，要求回拨"
    return records


def mask_keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + (value[-tail:] if tail else "")


def mask_record(record: dict[str, str]) -> dict[str, str]:
    age = int(record["age"])
    return {
        "customer_id": record["customer_id"],
        "姓名": mask_keep(record["姓名"], 1, 0),
        # Defect: keeps region and birth date (first 14), should keep only first 6 + last 4.
        "身份证号": mask_keep(record["身份证号"], 14, 0) if record["身份证号"] else "",
        # Defect: unsalted SHA-256 of an 11-digit mobile number is reversible by enumeration.
        "手机号": hashlib.sha256(record["手机号"].encode()).hexdigest(),
        # Defect: e-mail left raw although the policy says mask.
        "email": record["email"],
        "bank_card": mask_keep(record["bank_card"], 6, 4),
        "address": record["city"],
        "gender": record["gender"],
        "age": age_band(age),
        "city": record["city"],
        "postcode": record["postcode"][:3] + "***",
        "diagnosis": record["diagnosis"],
        "notes": record["notes"],
    }


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_chat_logs(records: list[dict[str, str]]) -> list[dict[str, object]]:
    rng = random.Random(SEED + 1)
    logs = []
    for n, record in enumerate(rng.sample(records[:-1], 30), start=1):
        chinese = bool(record["身份证号"])
        text = (
            f"您好，我叫{record['姓名']}，手机号{record['手机号']}，订单一直没到。"
            if chinese
            else f"Hi, this is {record['姓名']}, you can reach me at {record['email']}."
        )
        logs.append(
            {
                "session": f"S{n:03d}",
                "user": {"id": record["customer_id"], "contact": {"phone": record["手机号"]}},
                "messages": [
                    {"role": "user", "text": text},
                    {"role": "assistant", "text": "已为您转接人工客服。" if chinese else "Connecting you to an agent."},
                ],
            }
        )
    return logs


def make_tickets(records: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for n, record in enumerate(records[:40:2], start=1):
        if not record["身份证号"]:
            continue
        rows.append(
            {
                "工单号": f"T{n:04d}",
                "内容": f"用户{record['姓名']}（身份证{record['身份证号']}）反映住址{record['address']}无法配送",
            }
        )
    return rows


# Faker's addresses sit on RFC 2606 domains (example.com ...), which hold nobody's mailbox
# and which the scanner rightly ignores; the demo's customers use real-looking providers.
PROVIDERS = {"example.com": "qq.com", "example.net": "163.com", "example.org": "126.com"}


def personal_email(address: str) -> str:
    """The synthetic address moved from its reserved domain to a mail provider's."""
    user, _, domain = address.rpartition("@")
    return f"{user}@{PROVIDERS.get(domain, domain)}"


def main() -> None:
    DATA.mkdir(exist_ok=True)
    records = make_records()
    write_csv(DATA / "customers_raw.csv", records)
    write_csv(DATA / "customers_masked.csv", [mask_record(r) for r in records])
    # Exported from a legacy Chinese system: GB18030, as such exports often are.
    write_csv(DATA / "tickets_gb18030.csv", make_tickets(records), encoding="gb18030")
    with (DATA / "chat_logs.jsonl").open("w", encoding="utf-8") as handle:
        for entry in make_chat_logs(records):
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
