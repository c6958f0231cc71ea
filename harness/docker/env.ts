// testcontainers reads these when it first talks to Docker. Without them it tries to pull the ryuk
// image and alpine:3.14 (to find the gateway), and no image registry is reachable here. Import this
// module before anything that imports testcontainers; the project sets them itself, users need not.
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= 'localhost';

export {};
