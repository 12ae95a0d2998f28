using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Canales;

public sealed class CanalesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<List<Canal>>> ListAsync() => GetAsync<List<Canal>>("/canales");

    public Task<ApiResult<Canal>> ConnectWhatsAppAsync(WhatsAppForm form) => PutAsync<Canal>("/canales/whatsapp", new
    {
        phone_number_id = form.PhoneNumberId, access_token = form.AccessToken, app_secret = form.AppSecret, verify_token = form.VerifyToken,
    });

    public Task<ApiResult<Canal>> ConnectTelegramAsync(TelegramForm form) =>
        PutAsync<Canal>("/canales/telegram", new { bot_token = form.BotToken, secret_token = form.SecretToken });
}

public sealed record Canal(Guid Id, string Tipo, string IdExterno, DateTime ActualizadoEn, string? WebhookUrl);

public sealed class WhatsAppForm
{
    public string PhoneNumberId { get; set; } = "";
    public string AccessToken { get; set; } = "";
    public string AppSecret { get; set; } = "";
    public string VerifyToken { get; set; } = "";
}

public sealed class TelegramForm
{
    public string BotToken { get; set; } = "";
    public string SecretToken { get; set; } = "";
}
