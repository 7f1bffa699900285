/* Quick entry: keyboard-first helpers. The form works without this script; it only makes
   Enter save from selects and radios, filters the items by category, and fills durations. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-request-form]") || document.getElementById("quick-entry");
  if (!form) { return; }
  var saveButton = document.getElementById("save-button");

  // Enter saves from any field; text inputs already do it natively, selects and radios do not.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "BUTTON" || tag === "A" || tag === "SUMMARY") { return; }
    if (tag === "INPUT" && ["radio", "checkbox"].indexOf(target.type) === -1) { return; }
    event.preventDefault();
    if (form.requestSubmit) { form.requestSubmit(saveButton || undefined); } else if (saveButton) { saveButton.click(); }
  });

  // Items of annex 1: only those of the chosen category.
  var item = document.getElementById("id_item");
  function filterItems() {
    if (!item) { return; }
    var checked = form.querySelector("input[name=category]:checked");
    var category = checked ? checked.value : "";
    Array.prototype.forEach.call(item.querySelectorAll("optgroup"), function (group) {
      var show = !category || group.getAttribute("data-category") === category;
      group.hidden = !show;
      group.disabled = !show;
    });
    var selected = item.options[item.selectedIndex];
    if (selected && selected.parentNode.tagName === "OPTGROUP" && selected.parentNode.disabled) { item.value = ""; }
  }

  // A chosen procedure brings its usual category, unless the agent picked one on this form.
  var categoryTouched = false;
  Array.prototype.forEach.call(form.querySelectorAll("input[name=category]"), function (radio) {
    radio.addEventListener("change", function () { categoryTouched = true; filterItems(); });
  });
  var procedure = document.getElementById("id_procedure");
  var procedureOptions = document.getElementById("procedure-options");
  if (procedure && procedureOptions) {
    procedure.addEventListener("change", function () {
      if (categoryTouched) { return; }
      Array.prototype.forEach.call(procedureOptions.options, function (option) {
        var category = option.getAttribute("data-category");
        if (option.value === procedure.value && category) {
          var radio = form.querySelector('input[name=category][value="' + category + '"]');
          if (radio) { radio.checked = true; filterItems(); }
        }
      });
    });
  }

  // Quick duration buttons.
  var duration = document.getElementById("id_duration_minutes");
  Array.prototype.forEach.call(form.querySelectorAll("[data-duration]"), function (button) {
    button.addEventListener("click", function () {
      if (duration) { duration.value = button.getAttribute("data-duration"); }
    });
  });

  filterItems();
})();
