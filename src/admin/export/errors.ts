/** A request the export or import cannot serve as asked (bad field, format, filter, file): answered with 400. */
export class ExportRequestError extends Error {
  override name = 'ExportRequestError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
