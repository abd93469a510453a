// The same tests on the werift backend (the suite runs on mediasoup unless SFU_BACKEND says otherwise).
process.env.SFU_BACKEND = 'werift';
await import('../lipsync.test.js');
