using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps the traces someone can act on (a request, a trial attempt, a queue message) and drops the background chatter
/// that would bury them: a database or Redis call that nothing traced started (lease sweeps, heartbeats, the store
/// writer) and Orleans' own grain-timer ticks. Children follow their root (use it under <see cref="ParentBasedSampler"/>).
/// </summary>
internal sealed class BackgroundNoiseSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client || samplingParameters.Name.StartsWith("IGrainTimerInvoker/", StringComparison.Ordinal)
            ? Drop
            : Keep;
}
