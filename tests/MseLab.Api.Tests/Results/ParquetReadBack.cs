using System.Text.Json;
using MseLab.TestSupport;

namespace MseLab.Api.Tests.Results;

/// <summary>Downloaded Parquet bytes read back by hyparquet (<see cref="TestTools.ReadParquet"/>), a reader independent of the Parquet.Net writer.</summary>
internal static class ParquetReadBack
{
    /// <summary>The bytes as hyparquet sees them: <c>columns</c> (name, type, repetition, logical) and <c>rows</c>.</summary>
    public static JsonDocument Read(byte[] parquet)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mselab-api-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(path, parquet);
        try
        {
            return TestTools.ReadParquet(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
