# tests/python_path.sh: sourced by tests/run.sh and tests/demo.sh. The grader runs the python3 on
# PATH; for the tests and the demo that is Debian's /usr/bin/python3, which `make deps` installs
# with numpy and jsonschema: the same interpreter on every machine, the one the examples' documented
# grades and claims were measured with (docs/examples.md). The python3 first on a developer's PATH
# may be a pyenv shim, a shell script that costs 0.3 s of CPU per start, or another build of
# Python whose speed moves the examples' speedups by a factor 2 or more.
#
# use_python DIR WHO: puts a link DIR/bin/python3 to $GRADER_TEST_PYTHON (default
# /usr/bin/python3) first on PATH and unsets GRADER_PYTHON; when that interpreter is missing,
# says so (as WHO) and leaves PATH alone.
use_python() {
	local py=${GRADER_TEST_PYTHON:-/usr/bin/python3}
	if [ -x "$py" ]; then
		mkdir -p "$1/bin" && ln -sf "$py" "$1/bin/python3"
		export PATH=$1/bin:$PATH
		unset GRADER_PYTHON
	else
		echo "$2: $py is missing (make deps installs it): the python3 on PATH runs instead" >&2
	fi
}
