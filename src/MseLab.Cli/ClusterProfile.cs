using Microsoft.Extensions.Configuration;

namespace MseLab.Cli;

/// <summary>A lab cluster profile: a JSON file with <c>Cluster</c> and <c>Store</c> sections, overridable by <c>MSELAB_</c> variables.</summary>
internal static class ClusterProfile
{
    public static IConfigurationRoot Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Cluster profile {Path.GetFullPath(path)} not found. Write one as in the README (section 'Lab cluster'), or leave out --cluster for the embedded store.");
        }

        try
        {
            return new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).AddEnvironmentVariables("MSELAB_").Build();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"Cluster profile {Path.GetFullPath(path)} is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
