# Set-up shared by the CLI test scripts, which take the arguments RPUSIM WORKDIR OUTDIR
# [CASE]. Source it first: it sets rpusim, out and case_name, enters WORKDIR (the source
# tree), empties OUTDIR, and defines fail.
rpusim="$1"
cd "$2"
out="$3"
case_name="${4:-}"
rm -rf "${out}"
mkdir -p "${out}"

# Prints FAIL and the message on standard error and ends the test.
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
