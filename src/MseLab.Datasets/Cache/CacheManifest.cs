using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Datasets.Cache;

/// <summary>
/// <c>manifest.json</c> of a prepared folder, written last (inside the temporary folder, before the rename): what the
/// folder was made from and everything of each split except the features, which are the raw float32 files it names.
/// </summary>
internal sealed record CacheManifest(
    int FormatVersion,
    string Dataset,
    string Hash,
    string ByteOrder,
    IReadOnlyList<CacheSourceFile> SourceFiles,
    IReadOnlyList<CacheSplit> Splits)
{
    /// <summary>Bumped whenever the folder's layout or meaning changes, so that an older folder is prepared again.</summary>
    public const int CurrentFormat = 1;

    public const string FileName = "manifest.json";

    public const string LittleEndian = "little";

    public static CacheManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
            return JsonSerializer.Deserialize(stream, CacheJson.Default.CacheManifest)
                ?? throw new CorruptCacheException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new CorruptCacheException($"{path} is not a readable manifest ({e.Message})");
        }
        catch (FileNotFoundException)
        {
            throw new CorruptCacheException($"{path} is missing");
        }
    }

    public void Write(string folder)
    {
        var path = Path.Combine(folder, FileName);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        JsonSerializer.Serialize(stream, this, CacheJson.Default.CacheManifest);
        stream.Flush(flushToDisk: true);
    }
}

/// <summary>A source file, relative to the data root (forward slashes), and its size in bytes.</summary>
internal sealed record CacheSourceFile(string Path, long Size);

/// <summary>One split: its samples' small fields, and its two feature files (N x Steps x Width float32 each).</summary>
internal sealed record CacheSplit(
    string Name,
    int N,
    CacheFeature Audio,
    CacheFeature Vision,
    IReadOnlyList<string> Texts,
    IReadOnlyList<string>? Ids,
    IReadOnlyList<int> AudioLengths,
    IReadOnlyList<int> VisionLengths,
    IReadOnlyList<float> Labels);

/// <summary>A feature file of a split: its name in the folder, T and d.</summary>
internal sealed record CacheFeature(string File, int Steps, int Width)
{
    [JsonIgnore]
    public int SampleLength => checked(Steps * Width);
}

// Source-generated: a worker opening a cache should not pay for reflection-based serializer start-up.
// Named literals: labels and lengths are finite after the readers' checks, but a NaN must not make a manifest unwritable.
// Required and non-null as declared: a manifest missing a field is unreadable (so prepared again), never half-used.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CacheManifest))]
[JsonSerializable(typeof(HashIndexFile))]
internal sealed partial class CacheJson : JsonSerializerContext;
