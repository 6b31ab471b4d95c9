#!/usr/bin/env python3
"""Writes data/simplified-only.txt: Han characters of GB2312 (the simplified-
Chinese national charset) that are absent from CP932 (JIS X 0208 plus the
Microsoft/NEC/IBM extensions every Japanese mail program can show). Such a
character in Japanese text did not come from a Japanese writer's input
method: it is the mark of text written in Chinese tools or machine
translation. Reproduce: python3 data/tools/gen-simplified.py > data/simplified-only.txt
"""
import sys

chars = []
for hi in range(0xB0, 0xF8):          # GB2312 Han rows 16..87
    for lo in range(0xA1, 0xFF):
        try:
            ch = bytes([hi, lo]).decode('gb2312')
        except UnicodeDecodeError:
            continue
        try:
            ch.encode('cp932')
        except UnicodeEncodeError:
            chars.append(ch)
print("# Han characters in GB2312 but not in CP932 (see data/tools/gen-simplified.py).")
print("# One line of characters per 50; order is GB2312 order.")
for i in range(0, len(chars), 50):
    print(''.join(chars[i:i + 50]))
print(f"# {len(chars)} characters", file=sys.stderr)
