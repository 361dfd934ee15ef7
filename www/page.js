// The page's own chrome (index.html only; the demo itself is www/covalign.js). A classic script
// in <head>, so that ?embed=1 hides the title, the text and the footer before the first paint:
// a blog that can only use iframes shows the demo and its transport bar, nothing else.
(function () {
  var params = new URLSearchParams(location.search);
  if (!params.has('embed')) return;
  document.documentElement.classList.add('embed');
  // The link out opens the same run as a full page: the current address without embed.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a.full-page');
    if (!link) return;
    var url = new URL(location.href);
    url.searchParams.delete('embed');
    link.href = url.href;
  }, true);
  // In a frame, tell the host page the height the content needs ({covalign: 'height',
  // height} by postMessage), for hosts that allow a line of script to size the frame.
  if (window.parent === window) return;
  var last = 0;
  var report = function () {
    // The root's box: the body's would leave out a last margin collapsing through it.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) window.parent.postMessage({ covalign: 'height', height: (last = height) }, '*');
  };
  document.addEventListener('DOMContentLoaded', function () { new ResizeObserver(report).observe(document.body); });
})();
