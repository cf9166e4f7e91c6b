using System.Text.Json.Serialization;

namespace MseLab.Experiments.Trials;

/// <summary>How a trial computes: part of its identity. Names in sweep files and JSON: <see cref="TrialPrecisionNames"/>.</summary>
[JsonConverter(typeof(TrialPrecisionJsonConverter))]
public enum TrialPrecision
{
    /// <summary>The default: the checkpoint's weights exactly, backbone and adapter in float32.</summary>
    Fp32,

    /// <summary>
    /// What the official code does: frozen weights loaded as bf16 and then cast to fp16 (an fp16 checkpoint is rounded
    /// through bf16); on CUDA the backbone computes in fp16 with a dynamic loss scaler, on the CPU only the weights are
    /// rounded and the computation stays float32.
    /// </summary>
    Paper,
}
