using System.IO.Compression;
using System.Security.Cryptography;
using MseLab.Store.Records;

namespace MseLab.Worker.Engine;

/// <summary>Packs a checkpoint folder into a zip for the store, and unpacks one after checking its SHA-256.</summary>
public static class CheckpointArchive
{
    public static CheckpointBlob Pack(CheckpointKind kind, int epoch, string directory)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                zip.CreateEntryFromFile(file, Path.GetRelativePath(directory, file).Replace('\\', '/'), CompressionLevel.Fastest);
            }
        }

        var content = buffer.ToArray();
        return new CheckpointBlob(kind, epoch, Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    public static void Unpack(CheckpointBlob blob, string directory)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var actual = Convert.ToHexStringLower(SHA256.HashData(blob.Content));
        if (!string.Equals(actual, blob.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The stored '{blob.Kind}' checkpoint (epoch {blob.Epoch}) is corrupt: SHA-256 {actual}, expected {blob.Sha256}. The trial restarts from scratch if you delete it.");
        }

        var temp = directory + $".tmp-{Guid.NewGuid():N}";
        using (var buffer = new MemoryStream(blob.Content))
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read))
        {
            zip.ExtractToDirectory(temp);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        Directory.Move(temp, directory);
    }
}
