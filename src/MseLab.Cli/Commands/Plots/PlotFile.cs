using ScottPlot;

namespace MseLab.Cli.Commands.Plots;

/// <summary>Where a plot goes: PNG or SVG by the extension of <c>--out</c>, checked before the store is read.</summary>
internal sealed record PlotFile(string Path, bool Svg)
{
    /// <summary>Width and height in pixels (SVG: user units).</summary>
    public const int Width = 1200;

    public const int Height = 700;

    /// <summary>The file of <c>--out</c>; an unknown extension or a missing folder throws with the fix.</summary>
    public static PlotFile Parse(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("--out FILE is required: a .png or .svg path, e.g. --out curves.png.");
        }

        var extension = System.IO.Path.GetExtension(path);
        var svg = string.Equals(extension, ".svg", StringComparison.OrdinalIgnoreCase);
        if (!svg && !string.Equals(extension, ".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--out {path}: unknown extension '{extension}'. Name the file .png or .svg.");
        }

        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new ArgumentException($"--out {path}: the folder {folder} does not exist. Create it or choose another path.");
        }

        return new PlotFile(full, svg);
    }

    /// <summary>Renders and writes the plot; a path that cannot be written throws with the fix.</summary>
    public void Save(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        try
        {
            if (Svg)
            {
                File.WriteAllText(Path, plot.GetSvgXml(Width, Height));
            }
            else
            {
                File.WriteAllBytes(Path, plot.GetImageBytes(Width, Height, ImageFormat.Png));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--out {Path}: cannot write the plot ({e.Message}). Choose a path you can write to.", e);
        }
    }
}
