using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Channels;
using AgenteVendedor.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static class CanalesApi
{
    public static RouteGroupBuilder MapCanalesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/canales").WithTags("Canales").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListarCanales")
            .WithSummary("Canales configurados de la empresa, sin secretos, con la URL del webhook de cada uno.");
        group.MapPut("/whatsapp", WhatsApp).WithName("ConfigurarWhatsApp")
            .WithSummary("Conecta el número de WhatsApp Cloud API de la empresa tras confirmarlo con la Graph API de Meta; los secretos se guardan cifrados y no se devuelven.")
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity,
                "Datos inválidos ('errors' nombra cada campo), o Meta no reconoce ese access_token para ese phone_number_id ('detail' da su motivo); no se guardó nada.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "Ese phone_number_id ya está conectado a otra empresa.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "No se pudo consultar a Meta (no responde, tarda más de 10 s, 429 o 5xx) o el canal se está configurando en otra solicitud; no se guardó nada: reintenta tras Retry-After.");
        group.MapGet("/whatsapp/notificaciones", Notifications).WithName("ObtenerNotificacionesWhatsApp")
            .WithSummary("Plantilla de WhatsApp de cada evento que se avisa al cliente (null: sin plantilla) y los parámetros que se pueden usar.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "WhatsApp no está configurado en esta empresa.");
        group.MapPut("/whatsapp/notificaciones", ReplaceNotifications).WithName("AsignarNotificacionesWhatsApp")
            .WithSummary("Reemplaza la asignación de plantillas: cada evento con {nombre, idioma, parametros} o null; un evento que no se nombra queda sin plantilla.")
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity,
                "Evento desconocido, nombre de plantilla, idioma o parámetro inválido ('errors' nombra cada campo como evento.campo); no se guardó nada.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "WhatsApp no está configurado en esta empresa.");
        group.MapGet("/whatsapp/plantillas", Templates).WithName("ListarPlantillasWhatsApp")
            .WithSummary("Las plantillas de la cuenta de WhatsApp Business (waba_id) según la Graph API de Meta.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "WhatsApp no está configurado, o su canal no tiene waba_id.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "Meta no respondió o respondió con un error; reintenta tras Retry-After.");
        group.MapPost("/whatsapp/catalogo", PublishCatalog).WithName("PublicarCatalogoWhatsApp")
            .WithSummary("Publica los productos activos en el catálogo de Meta del número de WhatsApp (sku como retailer id, precio, disponibilidad según stock, imagen) y borra de él los que ya no deben estar.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "El canal de WhatsApp no está configurado o no tiene catalog_id.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "Meta no respondió o rechazó el lote (no responde, 429, 5xx o un error de la Graph API); reintenta tras Retry-After.");
        group.MapPut("/telegram", Telegram).WithName("ConfigurarTelegram")
            .WithSummary("Conecta el bot de Telegram; responde la URL del webhook que hay que registrar con setWebhook.")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Ok<List<CanalResponse>>> List(ClaimsPrincipal user, IClusterClient grains) =>
        TypedResults.Ok((await grains.GetGrain<IChannelsGrain>(user.EmpresaId()).ListAsync()).Select(CanalResponse.From).ToList());

    public static async Task<Results<Ok<CanalResponse>, ProblemAnswer>> WhatsApp(WhatsAppRequest body, ClaimsPrincipal user, IClusterClient grains, HttpContext http)
    {
        var v = new Validation();
        var phoneNumberId = v.Text("phone_number_id", body.PhoneNumberId, 20);
        if (phoneNumberId is not null && !phoneNumberId.All(char.IsAsciiDigit))
        {
            v.Add("phone_number_id", "Debe ser el identificador numérico del número en Meta (solo dígitos).");
        }

        var accessToken = v.Text("access_token", body.AccessToken, 1000);
        var appSecret = v.Text("app_secret", body.AppSecret, 200);
        var verifyToken = v.Text("verify_token", body.VerifyToken, 200, min: 8);
        var wabaId = string.IsNullOrWhiteSpace(body.WabaId) ? null : body.WabaId.Trim();
        if (wabaId is not null && (wabaId.Length > 20 || !wabaId.All(char.IsAsciiDigit)))
        {
            v.Add("waba_id", "Debe ser el identificador numérico de la cuenta de WhatsApp Business en Meta (solo dígitos, hasta 20).");
        }

        var catalogId = string.IsNullOrWhiteSpace(body.CatalogId) ? null : v.Text("catalog_id", body.CatalogId, 20);
        if (catalogId is not null && !catalogId.All(char.IsAsciiDigit))
        {
            v.Add("catalog_id", "Debe ser el identificador numérico del catálogo en Meta (solo dígitos, hasta 20).");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IChannelsGrain>(user.EmpresaId())
            .ConfigureWhatsAppAsync(user.Actor(), new WhatsAppSettings(phoneNumberId!, accessToken!, appSecret!, verifyToken!, wabaId, catalogId));
        return outcome.Value is { } channel ? TypedResults.Ok(CanalResponse.From(channel)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<NotificacionesResponse>, ProblemAnswer>> Notifications(ClaimsPrincipal user, IClusterClient grains)
    {
        var outcome = await grains.GetGrain<INotificationSettingsGrain>(user.EmpresaId()).GetMappingAsync();
        return outcome.Value is { } mapping ? TypedResults.Ok(NotificacionesResponse.From(mapping)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<NotificacionesResponse>, ProblemAnswer>> ReplaceNotifications(
        Dictionary<string, PlantillaEventoRequest?> body, ClaimsPrincipal user, IClusterClient grains)
    {
        if (body.Count > NotificationEvents.All.Count * 2)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["eventos"] = [$"Hay {NotificationEvents.All.Count} eventos: {string.Join(", ", NotificationEvents.All)}."] });
        }

        var mapping = body.ToDictionary(e => e.Key, e => e.Value is { } t ? new NotificationTemplateDraft(t.Nombre, t.Idioma, t.Parametros) : null);
        var outcome = await grains.GetGrain<INotificationSettingsGrain>(user.EmpresaId()).ReplaceMappingAsync(user.Actor(), mapping);
        return outcome.Value is { } saved ? TypedResults.Ok(NotificacionesResponse.From(saved)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<PlantillasResponse>, ProblemAnswer>> Templates(ClaimsPrincipal user, IClusterClient grains)
    {
        var outcome = await grains.GetGrain<INotificationSettingsGrain>(user.EmpresaId()).ListAccountTemplatesAsync();
        return outcome.Value is { } templates
            ? TypedResults.Ok(new PlantillasResponse(templates.Select(t => new PlantillaCuenta(t.Name, t.Language, t.Status, t.Category, t.Parameters)).ToList()))
            : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<CatalogoPublicadoResponse>, ProblemAnswer>> PublishCatalog(ClaimsPrincipal user, IClusterClient grains)
    {
        var outcome = await grains.GetGrain<IChannelsGrain>(user.EmpresaId()).PublishCatalogAsync(user.Actor());
        return outcome.Value is { } summary ? TypedResults.Ok(CatalogoPublicadoResponse.From(summary)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<CanalResponse>, ProblemAnswer>> Telegram(TelegramRequest body, ClaimsPrincipal user, IClusterClient grains, HttpContext http)
    {
        var v = new Validation();
        var botToken = v.Text("bot_token", body.BotToken, 200);
        var secretToken = v.Text("secret_token", body.SecretToken, 256, min: 8);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IChannelsGrain>(user.EmpresaId())
            .ConfigureTelegramAsync(user.Actor(), new TelegramSettings(botToken!, secretToken!));
        return outcome.Value is { } channel ? TypedResults.Ok(CanalResponse.From(channel)) : Problems.From(outcome.Problem!);
    }
}
