using System.Text.Json;
using AgenteVendedor.Api.Apis;
using AgenteVendedor.Api.Events;
using AgenteVendedor.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Npgsql;
using Orleans.Configuration;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
var connectionString = config.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("Falta la cadena de conexión ConnectionStrings:Postgres (variable ConnectionStrings__Postgres).");

builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = config["Orleans:ClusterId"] ?? "agentevendedor";
        o.ServiceId = config["Orleans:ServiceId"] ?? "agentevendedor";
    });
    client.UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = connectionString;
    });
    // The Api may start before any silo is up (docker-compose, a rolling restart): keep trying for a while.
    var connectDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(config.GetValue("Orleans:ConnectTimeoutSeconds", 120));
    client.UseConnectionRetryFilter(async (_, cancellationToken) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return DateTime.UtcNow < connectDeadline;
    });
});

builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.DictionaryKeyPolicy = null;
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
{
    var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
    context.ProblemDetails.Title = Problems.TitleFor(status);
    context.ProblemDetails.Detail ??= Problems.DetailFor(status);
    context.ProblemDetails.Type = null;
});
builder.Services.AddExceptionHandler<ErrorHandling>();

var tokens = Tokens.FromConfiguration(config, builder.Environment);
builder.Services.AddSingleton(tokens);
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(tokens.ConfigureBearer);
builder.Services.AddAuthorizationBuilder().AddRolePolicies();

builder.Services.AddOptions<ConversationEventsOptions>().BindConfiguration(ConversationEventsOptions.Section)
    .ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ConversationEventsHub>();
builder.Services.AddSingleton<AgenteVendedor.Api.Media.MediaContent>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ConversationEventsHub>());

builder.Services.AddClientNetwork(config);
builder.Services.AddRateLimits(config);

builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("base_de_datos", tags: [HealthEndpoints.ReadyTag])
    .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
builder.Services.AddOpenApi(o =>
{
    o.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "AgenteVendedor API";
        document.Info.Description = "API de administración y chat de AgenteVendedor. Autenticación: 'Authorization: Bearer <token>' de /auth/login. "
            + "Cada operación lista todas sus respuestas; los errores son application/problem+json en español.";
        return Task.CompletedTask;
    });
    o.DescribeAnswers();
});

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/docs", o => o.WithTitle("AgenteVendedor API")).AllowAnonymous();
app.MapHealthEndpoints();

// One group for every route of the contract, so that the answers of the pipeline are described on each of them.
var api = app.MapGroup("").WithCommonProblems();
api.MapAuthApi();
api.MapEmpresaApi();
api.MapUsuariosApi();
api.MapAuditoriaApi();
api.MapProductosApi();
api.MapClientesApi();
api.MapVentasApi();
api.MapReportesApi();
api.MapChatApi();
api.MapCanalesApi();
api.MapWebhooksApi();
api.MapConversacionesApi();

app.Run();

public partial class Program;
