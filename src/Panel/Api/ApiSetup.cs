using AgenteVendedor.Panel.Features;
using AgenteVendedor.Panel.Features.Auditoria;
using AgenteVendedor.Panel.Features.Canales;
using AgenteVendedor.Panel.Features.Clientes;
using AgenteVendedor.Panel.Features.Conversaciones;
using AgenteVendedor.Panel.Features.Empresa;
using AgenteVendedor.Panel.Features.Inicio;
using AgenteVendedor.Panel.Features.Ingresar;
using AgenteVendedor.Panel.Features.Productos;
using AgenteVendedor.Panel.Features.Usuarios;
using AgenteVendedor.Panel.Features.Ventas;
using Microsoft.Extensions.Http.Resilience;

namespace AgenteVendedor.Panel.Api;

/// <summary>Where the Api is, as the panel's server reaches it and as Meta or BotFather must reach it.</summary>
public sealed class ApiOptions
{
    public string BaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The Api's public address for webhook URLs (https://api.example.com); empty means BaseUrl.</summary>
    public string PublicUrl { get; set; } = "";

    public string WebhookBase => (string.IsNullOrWhiteSpace(PublicUrl) ? BaseUrl : PublicUrl).TrimEnd('/');
}

public static class ApiSetup
{
    /// <summary>The named client for the conversation event stream: no timeout and no retries, it stays open.</summary>
    public const string EventStream = "api-eventos";

    public static IServiceCollection AddApiClients(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ApiOptions>().Bind(config.GetSection("Api"))
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Api:BaseUrl debe ser una URL absoluta.")
            .ValidateOnStart();
        var baseUrl = new Uri(config["Api:BaseUrl"] ?? "http://127.0.0.1:8080");

        Add<AuthClient>(services, baseUrl);
        Add<EmpresaClient>(services, baseUrl);
        Add<ReportesClient>(services, baseUrl);
        Add<ProductosClient>(services, baseUrl);
        Add<VentasClient>(services, baseUrl);
        Add<ClientesClient>(services, baseUrl);
        Add<ConversacionesClient>(services, baseUrl);
        Add<CanalesClient>(services, baseUrl);
        Add<NotificacionesClient>(services, baseUrl);
        Add<UsuariosClient>(services, baseUrl);
        Add<AuditoriaClient>(services, baseUrl);
        services.AddHttpClient(EventStream, c =>
        {
            c.BaseAddress = baseUrl;
            c.Timeout = Timeout.InfiniteTimeSpan;
        });
        services.AddHttpClient(Downloads.Client, c =>
        {
            c.BaseAddress = baseUrl;
            c.Timeout = TimeSpan.FromMinutes(5);
        });
        services.AddScoped<ConversationEvents>();
        return services;
    }

    private static void Add<TClient>(IServiceCollection services, Uri baseUrl)
        where TClient : class =>
        services.AddHttpClient<TClient>(c => c.BaseAddress = baseUrl)
            .AddStandardResilienceHandler(o =>
            {
                // A POST is never repeated by the pipeline: a sale or an import must not happen twice.
                o.Retry.DisableForUnsafeHttpMethods();
                // The agent (with an LLM behind it) and a large import can take a while.
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(100);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(240);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(240);
            });
}
