#!/usr/bin/env bash
# Writes the student handout: a copy of this repository with every exercise's solution replaced by
# `throw ExerciseError.notImplemented("N.K")`.
#
#   exercises/handout.sh DEST
#
# The copy has no git history, no catalogue of wrong answers (Tests/WrongAnswerTests), and no CI
# script; signatures and doc comments stay. It then checks that no solution text survived anywhere
# in the copy. Needs only a shell with the usual tools (awk, grep, tar).
set -euo pipefail

usage() { echo "usage: exercises/handout.sh DEST   (DEST must not exist yet)" >&2; exit 2; }
[ $# -eq 1 ] || usage
dest=$1
[ -e "$dest" ] && { echo "handout: $dest already exists; choose a new directory" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# 1. Copy the files of the repository (tracked ones when this is a git checkout), never .build or .git.
mkdir -p "$dest"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -xf - -C "$dest"
else
  tar --exclude='./.build*' --exclude='./.git' --exclude='./.swiftpm' -cf - . | tar -xf - -C "$dest"
fi
rm -rf "$dest/Tests/WrongAnswerTests" "$dest/.ci"
# Package.swift declares the wrong-answer target only when its folder exists; say so in the manifest's text
# too, since SwiftPM caches a manifest's evaluation by its text.
sed -i.bak 's|FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/WrongAnswerTests")|false  // the handout has no wrong-answer catalogue|' "$dest/Package.swift"
rm -f "$dest/Package.swift.bak"

# 2. Replace each solution region. The exercise id comes from the file name: Exercise0502… → "5.2".
strip_solutions() {
  awk -v id="$2" '
    /\/\/ BEGIN SOLUTION/ { match($0, /^[ \t]*/); printf "%sthrow ExerciseError.notImplemented(\"%s\")\n", substr($0, 1, RLENGTH), id; inside = 1; next }
    /\/\/ END SOLUTION/ { inside = 0; next }
    !inside { print }
  ' "$1"
}
count=0
while IFS= read -r -d '' file; do
  name=$(basename "$file")
  digits=$(printf '%s' "$name" | sed -n 's/^Exercise\([0-9][0-9]\)\([0-9][0-9]\).*/\1 \2/p')
  [ -n "$digits" ] || continue
  set -- $digits
  id="$((10#$1)).$((10#$2))"
  strip_solutions "$file" "$id" > "$dest/$file"
  count=$((count + 1))
done < <(find exercises -name 'Exercise[0-9][0-9][0-9][0-9]*.swift' -print0 | sort -z)

# 3. Prove that no solution text is left: no markers, and no solution line of the master anywhere.
if grep -rq --include='*.swift' -e 'BEGIN SOLUTION' -e 'END SOLUTION' "$dest"; then
  echo "handout: solution markers survived in: $(grep -rl --include='*.swift' 'BEGIN SOLUTION' "$dest")" >&2; exit 1
fi
leaks=0
while IFS= read -r -d '' file; do
  # Every distinctive line of the solution (longer than 25 characters once trimmed) must be absent.
  while IFS= read -r line; do
    if grep -rqF --include='*.swift' --include='*.md' -e "$line" "$dest"; then
      echo "handout: solution text of $file survives in the copy: $line" >&2; leaks=$((leaks + 1))
    fi
  done < <(awk '/\/\/ BEGIN SOLUTION/{inside=1; next} /\/\/ END SOLUTION/{inside=0} inside' "$file" \
           | sed 's/^[ \t]*//; s/[ \t]*$//' | awk 'length($0) > 25')
done < <(find exercises -name 'Exercise[0-9][0-9][0-9][0-9]*.swift' -print0)
[ "$leaks" -eq 0 ] || exit 1
echo "handout: wrote $dest with $count exercises stubbed; no solution text left."
