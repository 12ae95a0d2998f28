using AgenteVendedor.Panel.Session;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AgenteVendedor.Panel.Features;

/// <summary>
/// The CSV exports, fetched by the panel's server with the session's token and streamed to the browser,
/// which never holds the token itself.
/// </summary>
public static class Downloads
{
    public const string Client = "api-descargas";

    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/descargas").RequireAuthorization(p =>
            p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        group.MapGet("/productos.csv", (HttpContext http, IHttpClientFactory clients) =>
            ForwardAsync(http, clients, "/productos/exportar", "productos.csv"));
        group.MapGet("/ventas.csv", (HttpContext http, IHttpClientFactory clients, string? desde, string? hasta) =>
            ForwardAsync(http, clients, new Api.Query("/reportes/ventas.csv").Add("desde", desde).Add("hasta", hasta), "ventas.csv"));
        return app;
    }

    private static async Task ForwardAsync(HttpContext http, IHttpClientFactory clients, string path, string fileName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PanelClaims.TokenOf(http.User));
        using var response = await clients.CreateClient(Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            http.Response.StatusCode = (int)response.StatusCode == 401 ? StatusCodes.Status401Unauthorized : StatusCodes.Status502BadGateway;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("No se pudo descargar el archivo; vuelve al panel e inténtalo de nuevo.", http.RequestAborted);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
