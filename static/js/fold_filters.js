// Filters that fold on a phone: a <details data-fold-when-narrow> is rendered open (so without this script
// every filter shows), and closed here when the screen is narrow and none of its filters is set
// (data-active), so that the results are not pushed below the first screen. On a wide screen it is open,
// and its summary hidden (static/css/portal.css).
document.addEventListener("DOMContentLoaded", () => {
  const narrow = window.matchMedia("(max-width: 50rem)");
  const folds = [...document.querySelectorAll("details[data-fold-when-narrow]")];
  const apply = () => {
    folds.forEach((fold) => {
      fold.open = !narrow.matches || fold.hasAttribute("data-active");
    });
  };
  apply();
  narrow.addEventListener("change", apply);
});
