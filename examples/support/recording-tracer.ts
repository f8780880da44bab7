/**
 * A tracer provider that keeps finished spans in memory, for the OpenTelemetry example to run
 * without an SDK or an exporter. In an application, register the SDK's provider instead
 * (`@opentelemetry/sdk-trace-node`) and the same instrumentation code sends the spans on.
 */

import {
  type Attributes,
  type Context,
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/** A span as recorded: what an exporter would receive. */
export interface FinishedSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly status: SpanStatus;
  readonly events: readonly string[];
  readonly durationMs: number;
}

class RecordingSpan implements Span {
  private readonly attributes: Attributes;
  private status: SpanStatus = { code: SpanStatusCode.UNSET };
  private readonly events: string[] = [];
  private readonly startedAt = performance.now();
  private ended = false;

  constructor(
    private name: string,
    options: SpanOptions | undefined,
    private readonly finished: FinishedSpan[],
  ) {
    this.attributes = { ...options?.attributes };
  }

  spanContext(): SpanContext {
    return INVALID_SPAN_CONTEXT;
  }
  setAttribute(key: string, value: Parameters<Span['setAttribute']>[1]): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(name: string): this {
    this.events.push(name);
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(name: string): this {
    this.name = name;
    return this;
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.finished.push({
      name: this.name,
      attributes: this.attributes,
      status: this.status,
      events: this.events,
      durationMs: performance.now() - this.startedAt,
    });
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: unknown): void {
    this.events.push(`exception ${exception instanceof Error ? exception.name : String(exception)}`);
  }
}

/** The provider: `finished` holds every ended span, in the order they ended. */
export class RecordingTracerProvider implements TracerProvider {
  readonly finished: FinishedSpan[] = [];

  getTracer(): Tracer {
    const finished = this.finished;
    const startSpan = (name: string, options?: SpanOptions, _context?: Context): Span =>
      new RecordingSpan(name, options, finished);
    return {
      startSpan,
      startActiveSpan: (name: string, ...rest: unknown[]) => {
        const fn = rest[rest.length - 1] as (span: Span) => unknown;
        const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
        return fn(startSpan(name, options));
      },
    };
  }
}
