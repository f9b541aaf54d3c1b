// `make css`: the Bootstrap and Bootstrap Icons rules the portal uses, written beside the
// vendored files (the output is committed; the portal serves it instead of the full files).
// Content: every template, the portal's JavaScript, the Python that names CSS classes (form
// widgets, badges built in template tags) and Bootstrap's own JavaScript (the classes it
// toggles: show, collapsing, ...). Paths are relative to the repository root (make runs this
// from there).
module.exports = {
  content: [
    "templates/**/*.html",
    "evaluations/**/*.html",
    "smartcity/**/*.html",
    "static/js/*.js",
    "static/vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js",
    "evaluations/**/*.py",
    "smartcity/**/*.py",
    "regions/**/*.py",
  ],
  css: [
    "static/vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "static/vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css",
  ],
  // Custom properties, keyframes and @font-face stay whole (they cost little, and variables
  // are read through var() where PurgeCSS cannot see them).
  variables: false,
  keyframes: false,
  fontFace: false,
  safelist: {
    standard: [/^show$/, /^showing$/, /^hiding$/, /^collapsing$/, /^fade$/, /^was-validated$/],
    // Classes a template builds from a value: the messages' alert-{{ message.tags }}.
    greedy: [/^alert-/],
  },
};
