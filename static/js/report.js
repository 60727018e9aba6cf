// The report page: "Download PDF" is the browser's own print (Save as PDF), styled by report.css.
const button = document.getElementById("btn-print");
if (button) button.addEventListener("click", () => window.print());
