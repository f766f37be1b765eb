// The copy button of a `pycon` block (a session with >>> prompts and printed
// output) copies only the code, ready to paste into any Python prompt:
// prompts and output lines are dropped, and a blank line follows every
// multi-line statement, which the classic interactive prompt needs to end it.
// Material's copy button reads a [data-copy] attribute when there is one.
function sessionCode(code) {
  const lines = code.innerText.replace(/\n$/, "").split("\n");
  const out = [];
  let inStatement = false;
  for (const line of lines) {
    if (line.startsWith(">>>")) {
      if (inStatement) out.push("");
      out.push(line.replace(/^>>> ?/, ""));
      inStatement = false;
    } else if (line.startsWith("...")) {
      out.push(line.replace(/^\.\.\. ?/, ""));
      inStatement = true;
    }
    // anything else is output: not copied
  }
  if (inStatement) out.push("");
  return out.join("\n");
}

document$.subscribe(function () {
  for (const code of document.querySelectorAll(".language-pycon pre > code")) {
    code.setAttribute("data-copy", sessionCode(code));
  }
});
