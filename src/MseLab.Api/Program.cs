using MseLab.Api.Apis;
using MseLab.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseAuthentication();
app.UseAuthorization();   // per endpoint: writes need role submit; reads are open or need role read (Auth:ReadsOpen)
app.MapDefaultEndpoints();
app.MapOpenApi();   // /openapi/v1.json
app.MapSweepsApi();
app.MapResultsApi();
app.UseResultsPage();   // /results: the page over the results endpoints
app.Run();
