using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Canales;

public sealed class CanalesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<List<Canal>>> ListAsync() => GetAsync<List<Canal>>("/canales");

    public Task<ApiResult<Canal>> ConnectWhatsAppAsync(WhatsAppForm form) => PutAsync<Canal>("/canales/whatsapp", new
    {
        phone_number_id = form.PhoneNumberId, access_token = form.AccessToken, app_secret = form.AppSecret, verify_token = form.VerifyToken,
        waba_id = string.IsNullOrWhiteSpace(form.WabaId) ? null : form.WabaId.Trim(),
        catalog_id = string.IsNullOrWhiteSpace(form.CatalogId) ? null : form.CatalogId.Trim(),
    });

    /// <summary>Pushes the active products to the Meta catalog connected to the number.</summary>
    public Task<ApiResult<CatalogoPublicado>> PublishCatalogAsync() => PostAsync<CatalogoPublicado>("/canales/whatsapp/catalogo", null);

    public Task<ApiResult<Canal>> ConnectTelegramAsync(TelegramForm form) =>
        PutAsync<Canal>("/canales/telegram", new { bot_token = form.BotToken, secret_token = form.SecretToken });
}

public sealed record Canal(Guid Id, string Tipo, string IdExterno, DateTime ActualizadoEn, string? WebhookUrl, string? WabaId = null, string? CatalogId = null);

public sealed record CatalogoPublicado(int Enviados, IReadOnlyList<OmitidoCatalogo> Omitidos, int Eliminados, int Lotes);

public sealed record OmitidoCatalogo(string Sku, string Motivo);

public sealed class WhatsAppForm
{
    public string PhoneNumberId { get; set; } = "";
    public string AccessToken { get; set; } = "";
    public string AppSecret { get; set; } = "";
    public string VerifyToken { get; set; } = "";
    public string WabaId { get; set; } = "";
    public string CatalogId { get; set; } = "";
}

public sealed class TelegramForm
{
    public string BotToken { get; set; } = "";
    public string SecretToken { get; set; } = "";
}

/// <summary>The calls of the notification templates: the event → template mapping and the account's templates at Meta.</summary>
public sealed class NotificacionesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Dictionary<string, System.Text.Json.JsonElement>>> MappingAsync() =>
        GetAsync<Dictionary<string, System.Text.Json.JsonElement>>("/canales/whatsapp/notificaciones");

    public Task<ApiResult<Dictionary<string, System.Text.Json.JsonElement>>> ReplaceAsync(IReadOnlyDictionary<string, PlantillaEvento?> mapping) =>
        PutAsync<Dictionary<string, System.Text.Json.JsonElement>>("/canales/whatsapp/notificaciones", mapping);

    public Task<ApiResult<PlantillasCuenta>> AccountTemplatesAsync() => GetAsync<PlantillasCuenta>("/canales/whatsapp/plantillas");
}

public sealed record PlantillaEvento(string Nombre, string Idioma, IReadOnlyList<string> Parametros);

public sealed record PlantillaCuenta(string Nombre, string Idioma, string Estado, string Categoria, int Parametros);

public sealed record PlantillasCuenta(IReadOnlyList<PlantillaCuenta> Plantillas);
