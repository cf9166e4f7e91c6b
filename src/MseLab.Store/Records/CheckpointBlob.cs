namespace MseLab.Store.Records;

/// <summary>A checkpoint folder packed as a zip, with its SHA-256 (hex) so a download can be verified.</summary>
public sealed record CheckpointBlob(CheckpointKind Kind, int Epoch, string Sha256, byte[] Content);
