#!/usr/bin/env Rscript
# Writes two UCI data sets from the R package mlbench (Leisch & Dimitriadou; as packaged by Debian,
# r-cran-mlbench) as gzip'd CSV into samples/data. Run once, from this folder:
#
#   Rscript make_mlbench_csv.R && gzip -n -9 -f ../satellite.csv ../letter_recognition.csv
#
# (gzip -n: no name or time stamp in the header, so the .gz files are byte-for-byte reproducible.)
# The build and the tests never run R: they read the committed .csv.gz files.
#
#   satellite.csv           Satellite (UCI Statlog Landsat Satellite): 6435 rows, 36 integer features
#                           (4 spectral bands x 3x3 pixels, 0..255), then `class`, the soil type name
#   letter_recognition.csv  LetterRecognition (UCI Letter Recognition): 20000 rows, 16 integer features
#                           (0..15), then `letter`, A..Z
#
# Rows in the package's order; plain numbers, unquoted class names, LF line endings.
suppressPackageStartupMessages(library(mlbench))

data(Satellite)
satellite <- Satellite[, 1:36]
satellite$class <- as.character(Satellite$classes)
write.table(satellite, "../satellite.csv", sep = ",", quote = FALSE, row.names = FALSE, eol = "\n")

data(LetterRecognition)
letters <- LetterRecognition[, 2:17]
letters$letter <- as.character(LetterRecognition$lettr)
write.table(letters, "../letter_recognition.csv", sep = ",", quote = FALSE, row.names = FALSE, eol = "\n")
