// Worker-thread entry of IntentWorker: the ONNX session runs here, off the live lane's thread.
import { parentPort } from 'node:worker_threads';
import { IntentModel } from './IntentModel.js';

const model = await IntentModel.load();
parentPort!.postMessage({ type: 'ready', version: model.version });
parentPort!.on('message', (request: { id: number; text: string }) => {
  model.classify(request.text).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: Error & { code?: string }) => parentPort!.postMessage({ id: request.id, error: { name: error.name, code: error.code, message: error.message } }),
  );
});
