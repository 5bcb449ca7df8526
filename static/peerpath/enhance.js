// Marks the page as JavaScript-enabled before it paints, as NHS.UK frontend expects.
// An external file (not inline) so the Content-Security-Policy can forbid inline scripts.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
