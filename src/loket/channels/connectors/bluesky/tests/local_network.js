// A throw-away AT Protocol network for Loket's Bluesky tests: PLC directory, PDS and AppView
// from @atproto/dev-env (plus Ozone, which TestNetwork always starts). PostgreSQL and Redis
// are started by the test and named in DB_POSTGRES_URL and REDIS_HOST; the ports come from
// LOKET_BSKY_* variables. Prints one line `READY {json}` when up. POST /process-all on the
// control port returns once the AppView has indexed everything the PDS holds. Stops on
// SIGTERM, SIGINT or when stdin closes (the test process died).
'use strict'
const http = require('node:http')
const { TestNetwork } = require('@atproto/dev-env')

const port = (name) => {
  const value = Number(process.env[name])
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a port number`)
  return value
}

async function main() {
  const appviewPort = port('LOKET_BSKY_APPVIEW_PORT')
  const network = await TestNetwork.create({
    dbPostgresSchema: process.env.LOKET_BSKY_SCHEMA || 'loket',
    plc: { port: port('LOKET_BSKY_PLC_PORT') },
    pds: { port: port('LOKET_BSKY_PDS_PORT'), hostname: 'localhost' },
    bsky: { port: appviewPort, publicUrl: `http://localhost:${appviewPort}` },
    // The chat service is not part of dev-env; Ozone only needs to be told where it would be.
    ozone: {
      port: port('LOKET_BSKY_OZONE_PORT'),
      chatUrl: 'http://localhost:1',
      chatDid: 'did:example:chat',
    },
  })
  const control = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/process-all') {
      response.writeHead(404).end()
      return
    }
    network.processAll().then(
      () => response.writeHead(204).end(),
      (error) => response.writeHead(500).end(String(error)),
    )
  })
  await new Promise((resolve) => control.listen(port('LOKET_BSKY_CONTROL_PORT'), '127.0.0.1', resolve))

  let closing = false
  const stop = async () => {
    if (closing) return
    closing = true
    control.close()
    await network.close()
    console.log('CLOSED')
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.resume()
  console.log(
    'READY ' +
      JSON.stringify({ plc: network.plc.url, pds: network.pds.url, appview: network.bsky.url }),
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
