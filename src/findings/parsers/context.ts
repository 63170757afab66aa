/** What every parser receives: the checked bytes of the report and the field size cap. */
export interface ParserContext {
  buf: Buffer;
  /** First byte after a byte order mark. */
  start: number;
  maxFieldBytes: number;
}
