#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
extract_parts.py -- throwaway harness: pull the inline text/html parts out of
the development corpus into a scratch directory (never into the repo), as
UTF-8, one file per part, for bench/html/bench and tests/html_diff.

It reads .eml files and mbox files, skips any part with
Content-Disposition: attachment (we never open attachments), decodes the
transfer encoding and the declared charset (errors replaced), and writes
OUT/NNNNN.html plus OUT/index.tsv (file, source path).

usage: extract_parts.py CORPUS_DIR OUT_DIR
"""
import email
import email.policy
import mailbox
import os
import sys


def html_parts(msg):
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() != "text/html":
            continue
        if (part.get("Content-Disposition") or "").strip().lower().startswith("attachment"):
            continue
        try:
            raw = part.get_payload(decode=True)
        except Exception:
            continue
        if not raw:
            continue
        cs = part.get_content_charset() or "utf-8"
        try:
            text = raw.decode(cs, errors="replace")
        except LookupError:
            text = raw.decode("utf-8", errors="replace")
        yield text


SKIP_EXT = (".tsv", ".csv", ".json", ".md", ".upstream", ".txt", ".py")


def messages(root):
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            if f.endswith(".mbox"):
                for m in mailbox.mbox(p):
                    yield p, m
            elif not f.endswith(SKIP_EXT):
                with open(p, "rb") as fh:
                    try:
                        yield p, email.message_from_binary_file(fh)
                    except Exception:
                        continue


def main():
    root, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    with open(os.path.join(out, "index.tsv"), "w") as idx:
        for src, msg in messages(root):
            try:
                parts = list(html_parts(msg))
            except Exception:
                continue
            for t in parts:
                name = "%05d.html" % n
                with open(os.path.join(out, name), "w", encoding="utf-8",
                          errors="surrogatepass") as fh:
                    fh.write(t)
                idx.write("%s\t%s\n" % (name, os.path.relpath(src, root)))
                n += 1
    print(n, "parts")


if __name__ == "__main__":
    main()
