using MseLab.Experiments.Trials;
using Orleans.Serialization.Codecs;

namespace MseLab.Grains;

// The experiment domain carries no Orleans attributes (it is shared with code that runs no silo): its enums that cross
// grain calls get their codecs here, written as their 32-bit values.

/// <summary>Serializes <see cref="TrialStatus"/> in grain calls.</summary>
[RegisterSerializer]
internal sealed class TrialStatusCodec : Enum32BaseCodec<TrialStatus>;

/// <summary>Serializes <see cref="TrialPhase"/> in grain calls.</summary>
[RegisterSerializer]
internal sealed class TrialPhaseCodec : Enum32BaseCodec<TrialPhase>;
