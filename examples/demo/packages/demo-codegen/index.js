module.exports = require("./generated.json");
