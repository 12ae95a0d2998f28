using AgenteVendedor.Panel.Session;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AgenteVendedor.Panel.Features.Conversaciones;

/// <summary>
/// A customer's photo, voice note or file for the inbox transcript: fetched by the panel's server from
/// <c>GET /conversaciones/{id}/medios/{medio_id}</c> with the session's token and streamed to the browser, which never
/// holds the token. The Api's content type, disposition and sandboxing headers pass through.
/// </summary>
public static class MediaProxy
{
    public static string UrlOf(Guid conversationId, Guid mediaId) => $"/medios/{conversationId}/{mediaId}";

    public static IEndpointRouteBuilder MapMediaProxy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/medios/{conversationId:guid}/{mediaId:guid}", ForwardAsync).RequireAuthorization(p =>
            p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        return app;
    }

    private static async Task ForwardAsync(HttpContext http, IHttpClientFactory clients, Guid conversationId, Guid mediaId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/conversaciones/{conversationId}/medios/{mediaId}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PanelClaims.TokenOf(http.User));
        using var response = await clients.CreateClient(Downloads.Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (!response.IsSuccessStatusCode)
        {
            http.Response.StatusCode = (int)response.StatusCode is 401 or 404 ? (int)response.StatusCode : StatusCodes.Status502BadGateway;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("No se pudo abrir el archivo.", http.RequestAborted);
            return;
        }

        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        http.Response.ContentLength = response.Content.Headers.ContentLength;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        if (response.Content.Headers.ContentDisposition is { } disposition)
        {
            http.Response.Headers.ContentDisposition = disposition.ToString();
        }

        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
