#!/usr/bin/env python3
"""Writes golden.tsv: amounts in đồng read aloud in Vietnamese, southern (lẻ, ngàn, tư) and
northern (linh, nghìn, tư) presets, by the rules of DESIGN.md §5 written here independently of
the Swift code. Run from this folder: python3 make_golden.py"""
import random

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def group(value, leading, zero_tens):
    """Three digits; a group after a larger one always says its hundreds ("không trăm")."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words = []
    if not leading or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += [zero_tens, DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    else:
        words.append(DIGITS[units])
    return words


def read(amount, zero_tens, thousand):
    if amount == 0:
        return "không đồng"
    names = ["", thousand, "triệu", "tỷ"]
    groups = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += group(value, index == len(groups) - 1, zero_tens)
        if names[index]:
            words.append(names[index])
    return " ".join(words + ["đồng"])


edges = [0, 1, 4, 5, 9, 10, 11, 14, 15, 19, 20, 21, 24, 25, 30, 31, 34, 35, 40, 44, 45, 50, 51, 54, 55, 90, 91, 94, 95, 99,
         100, 101, 104, 105, 110, 111, 114, 115, 120, 121, 124, 125, 200, 205, 210, 215, 250, 500, 505, 999,
         1_000, 1_001, 1_004, 1_005, 1_010, 1_011, 1_015, 1_021, 1_024, 1_050, 1_100, 1_105, 1_500, 2_000, 5_000, 9_999,
         10_000, 10_005, 11_000, 15_000, 21_000, 24_000, 25_000, 35_000, 50_000, 99_000, 100_000, 100_500, 101_000, 105_000,
         110_000, 115_000, 120_000, 150_000, 199_800, 200_000, 250_000, 500_000, 999_000, 1_000_000, 1_000_005, 1_000_100,
         1_001_000, 1_005_000, 1_010_000, 1_050_000, 1_100_000, 1_250_000, 1_500_000, 2_000_000, 2_277_000, 10_000_000,
         15_000_000, 21_000_000, 100_000_000, 105_000_000, 1_000_000_000, 1_000_000_001, 1_000_005_000, 1_005_000_000,
         1_250_000_000, 10_000_000_000, 21_000_000_000, 100_000_000_000, 105_005_005_005, 999_999_999_999]
random.seed(2026)
extra = set()
while len(extra) < 60:
    digits = random.choice([3, 4, 5, 6, 7, 8, 9, 10, 12])
    extra.add(random.randrange(10 ** (digits - 1), 10 ** digits))
amounts = sorted(set(edges) | extra)
with open("golden.tsv", "w", encoding="utf-8") as f:
    f.write("amount\tsouth (lẻ, ngàn, tư)\tnorth (linh, nghìn, tư)\n")
    for amount in amounts:
        f.write(f"{amount}\t{read(amount, 'lẻ', 'ngàn')}\t{read(amount, 'linh', 'nghìn')}\n")
print(len(amounts), "amounts")
