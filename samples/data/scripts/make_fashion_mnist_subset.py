#!/usr/bin/env python3
"""Writes the Fashion-MNIST subsets the samples use (run once; the build and tests never run it).

Input: the original IDX files of Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, MIT licence) as installed by
Debian's `dataset-fashion-mnist` package in /usr/share/datasets/fashion-mnist. Output, next to this script's
parent folder (samples/data):

  fashion_mnist_train_subset.csv.gz   the first PER_CLASS images of each class of train-images-idx3-ubyte
  fashion_mnist_test_subset.csv.gz    the first PER_CLASS images of each class of t10k-images-idx3-ubyte

Each line is 784 pixel values (0..255, 28x28 row-major) then the class label 0..9, lines in the original file
order. "First in file order" rather than a random draw, so the subset is reproducible without a random
generator. The gzip header carries no name and no time stamp, so the output is byte-for-byte reproducible
(samples/data/README.md lists the SHA-256 of both inputs and outputs).

Usage: python3 make_fashion_mnist_subset.py [SOURCE_DIR]   (standard library only)
"""
import gzip
import hashlib
import os
import struct
import sys

PER_CLASS = 400
SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
TARGET = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        raise SystemExit(f"{path}: magic {found:#x}, expected {magic:#x}")
    return data


def subset(images_name, labels_name, output_name):
    images = read_idx(os.path.join(SOURCE, images_name), 0x803)
    labels = read_idx(os.path.join(SOURCE, labels_name), 0x801)
    count, rows, cols = struct.unpack(">III", images[4:16])
    (label_count,) = struct.unpack(">I", labels[4:8])
    if (rows, cols) != (28, 28) or count != label_count:
        raise SystemExit(f"{images_name}: unexpected shape {count}x{rows}x{cols}, {label_count} labels")
    taken = [0] * 10
    lines = []
    for i in range(count):
        label = labels[8 + i]
        if taken[label] == PER_CLASS:
            continue
        taken[label] += 1
        pixels = images[16 + i * 784 : 16 + (i + 1) * 784]
        lines.append(",".join(str(p) for p in pixels) + f",{label}\n")
    if any(t != PER_CLASS for t in taken):
        raise SystemExit(f"{images_name}: too few images in some class: {taken}")
    body = "".join(lines).encode("ascii")
    path = os.path.join(TARGET, output_name)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(body)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"{output_name}: {len(lines)} images, {os.path.getsize(path)} bytes, SHA-256 {digest}")


for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]:
    with open(os.path.join(SOURCE, name), "rb") as f:
        print(f"source {name}: SHA-256 {hashlib.sha256(f.read()).hexdigest()}")
subset("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "fashion_mnist_train_subset.csv.gz")
subset("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "fashion_mnist_test_subset.csv.gz")
