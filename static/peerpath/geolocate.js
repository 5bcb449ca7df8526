// "Use my location" on Find support. The button appears only where the browser can tell us
// where she is, and the browser asks her only when she presses it. The position is rounded to
// about a kilometre before it goes into the search address, and nothing keeps it.
// Without JavaScript the button stays hidden: she types a postcode or chooses a town.
const box = document.querySelector("[data-pp-geolocate]");

function hiddenField(form, name) {
  let input = form.querySelector(`input[type="hidden"][name="${name}"]`);
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    form.append(input);
  }
  return input;
}

if (box && "geolocation" in navigator) {
  const form = box.closest("form");
  const button = box.querySelector("button");
  const status = box.querySelector("[data-pp-geolocate-status]");
  box.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = box.dataset.asking;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        hiddenField(form, "lat").value = position.coords.latitude.toFixed(2);
        hiddenField(form, "lng").value = position.coords.longitude.toFixed(2);
        // Her location replaces a postcode or town chosen before.
        const postcode = form.querySelector('[name="postcode"]');
        if (postcode) postcode.value = "";
        const where = form.querySelector('[name="where"]');
        if (where) where.value = "";
        form.submit();
      },
      () => {
        status.textContent = box.dataset.failed;
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
}
