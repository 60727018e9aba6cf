// The console's, rapporteur's and report's language switcher (templates/_language.html): picking a
// language sends the form at once (the server answers the page in it and remembers the choice in a
// cookie); without scripts its Change button does the same. The page's other query parameters stay.
const form = document.getElementById("lang-switch");
const select = document.getElementById("lang-select");
if (form && select) {
  for (const [name, value] of new URLSearchParams(location.search)) {
    if (name === "lang") continue;
    const keep = document.createElement("input");
    keep.type = "hidden";
    keep.name = name;
    keep.value = value;
    form.append(keep);
  }
  form.querySelector(".lang-go").hidden = true;
  select.addEventListener("change", () => form.submit());
}
