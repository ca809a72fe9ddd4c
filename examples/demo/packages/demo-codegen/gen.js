// Benign postinstall: write generated code into the package's own directory.
require('fs').writeFileSync(require('path').join(__dirname, 'generated.json'), JSON.stringify({ greeting: 'hello from generated code' }));
console.log('demo-codegen: generated.json written');
