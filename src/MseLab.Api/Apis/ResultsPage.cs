namespace MseLab.Api.Apis;

/// <summary>
/// The results page: a small static front end (<c>wwwroot/results</c>: HTML, CSS and script, no framework) over the
/// <c>/api/results</c> endpoints, served at <see cref="Path"/>. The AppHost links it from the dashboard.
/// </summary>
public static class ResultsPage
{
    /// <summary>Where the page is served; <c>/results</c> redirects here.</summary>
    public const string Path = "/results/";

    /// <summary>Serves <c>wwwroot</c> (the page's files) and <c>index.html</c> for <see cref="Path"/>.</summary>
    public static WebApplication UseResultsPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // /results/ serves /results/index.html, and /results redirects to /results/ (DefaultFilesOptions'
        // RedirectToAppendTrailingSlash): the page's relative links (results.js, results.css) need the folder's slash.
        // Not an endpoint: routing ignores a trailing slash, so a mapped /results would also catch /results/.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
