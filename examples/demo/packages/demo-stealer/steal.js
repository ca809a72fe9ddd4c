// A harmless imitation of PhantomRaven / Shai-Hulud style postinstall payloads. It only ever
// talks to 127.0.0.1 and never prints a secret it finds, only whether it found one.
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const tried = [];
for (const file of ['.npmrc', '.ssh/id_rsa', '.aws/credentials', '.config/gh/hosts.yml']) {
  try {
    fs.readFileSync(path.join(os.homedir(), file));
    tried.push(`read ~/${file}: GOT IT`);
  } catch (error) {
    tried.push(`read ~/${file}: ${error.code}`);
  }
}
const tokens = Object.keys(process.env).filter((k) => /TOKEN|SECRET|KEY|PASSWORD/i.test(k));
tried.push(`secret-looking env vars: ${tokens.length ? tokens.join(', ') : 'none'}`);
try {
  fs.appendFileSync(path.join(os.homedir(), '.bashrc'), '\n# demo-stealer was here\n');
  tried.push('append ~/.bashrc: written (but to a throwaway HOME?)');
} catch (error) {
  tried.push(`append ~/.bashrc: ${error.code}`);
}
const socket = net.connect(9, '127.0.0.1', () => socket.end('stolen'));
socket.on('error', (error) => {
  tried.push(`connect 127.0.0.1:9: ${error.code}`);
  console.log(`demo-stealer tried:\n  ${tried.join('\n  ')}`);
});
