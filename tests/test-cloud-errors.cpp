// test-cloud-errors.cpp — mv::CloudError: every row of the vendor's error table
// (../shared/nemo-api.md "Errors") maps to a kind, and each message says what
// the streamer can do, without secrets.
#include <cctype>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mv/cloud/errors.hpp"
#include "mv/base/error.hpp"

namespace {

using mv::CloudErrorContext;
using mv::CloudErrorKind;

const std::vector<CloudErrorKind> kAllKinds = {
    CloudErrorKind::TokenInvalid,  CloudErrorKind::SessionNotFound, CloudErrorKind::NoCredits,
    CloudErrorKind::UnsupportedFile, CloudErrorKind::FileTooLarge,  CloudErrorKind::MissingClientId,
    CloudErrorKind::ExportNotAllowed, CloudErrorKind::RateLimited,  CloudErrorKind::ServerError,
    CloudErrorKind::Network,       CloudErrorKind::Timeout,         CloudErrorKind::StreamCut,
    CloudErrorKind::RenderFailed,  CloudErrorKind::BadResponse,     CloudErrorKind::BadRedirect,
    CloudErrorKind::DownloadInvalid, CloudErrorKind::FileUnreadable, CloudErrorKind::DiskWrite,
    CloudErrorKind::Cancelled,
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(CloudErrors, EveryVendorCodeOfTheTableMapsToItsKind) {
  EXPECT_EQ(mv::kind_from_vendor_code(1001), CloudErrorKind::TokenInvalid);
  EXPECT_EQ(mv::kind_from_vendor_code(1002), CloudErrorKind::SessionNotFound);
  EXPECT_EQ(mv::kind_from_vendor_code(2001), CloudErrorKind::NoCredits);
  EXPECT_EQ(mv::kind_from_vendor_code(4001), CloudErrorKind::UnsupportedFile);
  EXPECT_EQ(mv::kind_from_vendor_code(4002), CloudErrorKind::FileTooLarge);
  EXPECT_FALSE(mv::kind_from_vendor_code(0).has_value());
  EXPECT_FALSE(mv::kind_from_vendor_code(9999).has_value());
}

TEST(CloudErrors, EveryHttpStatusOfTheTableMapsToItsKind) {
  EXPECT_EQ(mv::kind_from_http_status(400), CloudErrorKind::MissingClientId);
  EXPECT_EQ(mv::kind_from_http_status(402), CloudErrorKind::ExportNotAllowed);
  EXPECT_EQ(mv::kind_from_http_status(429), CloudErrorKind::RateLimited);
  EXPECT_EQ(mv::kind_from_http_status(500), CloudErrorKind::ServerError);
  EXPECT_EQ(mv::kind_from_http_status(503), CloudErrorKind::ServerError);
  EXPECT_FALSE(mv::kind_from_http_status(200).has_value());
  EXPECT_FALSE(mv::kind_from_http_status(204).has_value());
  EXPECT_FALSE(mv::kind_from_http_status(404).has_value());
}

TEST(CloudErrors, EveryKindHasADistinctIdAndANonEmptySentence) {
  std::vector<std::string> ids;
  for (CloudErrorKind kind : kAllKinds) {
    const std::string id = mv::cloud_error_id(kind);
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(id, lower(id));
    for (const std::string& other : ids) EXPECT_NE(id, other);
    ids.push_back(id);
    const std::string msg = mv::cloud_error_message(kind, {});
    EXPECT_GT(msg.size(), 5U) << id;
    EXPECT_TRUE(msg.back() == '.' || contains(msg, "…")) << id << ": " << msg;
  }
  EXPECT_STREQ(mv::cloud_error_id(CloudErrorKind::NoCredits), "no_credits");
}

TEST(CloudErrors, NoCreditsAnonymousShowsTheRegistrationUrlWithBind) {
  CloudErrorContext ctx;
  ctx.anonymous = true;
  ctx.bind_id = "u-42";
  ctx.registration_url = "https://nemovideo.ai/register";
  const std::string msg = mv::cloud_error_message(CloudErrorKind::NoCredits, ctx);
  EXPECT_EQ(msg,
            "You have used your free credits. Register to get more (your work stays linked to this device): "
            "https://nemovideo.ai/register?bind=u-42");
}

TEST(CloudErrors, NoCreditsBindIsAppendedWithAmpersandWhenTheUrlHasAQuery) {
  CloudErrorContext ctx;
  ctx.bind_id = "u-42";
  ctx.registration_url = "https://nemovideo.ai/register?ref=obs";
  EXPECT_TRUE(contains(mv::cloud_error_message(CloudErrorKind::NoCredits, ctx),
                       "https://nemovideo.ai/register?ref=obs&bind=u-42"));
}

TEST(CloudErrors, NoCreditsWithoutBindIdHasNoBindParameter) {
  CloudErrorContext ctx;
  ctx.registration_url = "https://nemovideo.ai/register";
  const std::string msg = mv::cloud_error_message(CloudErrorKind::NoCredits, ctx);
  EXPECT_TRUE(contains(msg, "https://nemovideo.ai/register"));
  EXPECT_FALSE(contains(msg, "bind"));
}

TEST(CloudErrors, NoCreditsRegisteredSaysTopUp) {
  CloudErrorContext ctx;
  ctx.anonymous = false;
  ctx.bind_id = "u-42";
  ctx.registration_url = "https://nemovideo.ai/register";
  ctx.detail = "insufficient balance";
  const std::string msg = mv::cloud_error_message(CloudErrorKind::NoCredits, ctx);
  EXPECT_EQ(msg, "You are out of credits. Top up credits in your account, then try again.");
}

TEST(CloudErrors, ExportNotAllowedNeverMentionsCredits) {
  CloudErrorContext ctx;
  ctx.detail = "no credits for export";
  for (bool anonymous : {true, false}) {
    ctx.anonymous = anonymous;
    const std::string msg = mv::cloud_error_message(CloudErrorKind::ExportNotAllowed, ctx);
    EXPECT_EQ(msg, "Your plan cannot export videos. Register or upgrade your plan to unlock export.");
    EXPECT_FALSE(contains(lower(msg), "credit"));
  }
  const mv::CloudError err(*mv::kind_from_http_status(402), ctx, 402);
  EXPECT_FALSE(contains(lower(err.what()), "credit"));
}

TEST(CloudErrors, UnsupportedFileListsTheFormats) {
  CloudErrorContext ctx;
  ctx.file = "song.xyz";
  const std::string msg = mv::cloud_error_message(*mv::kind_from_vendor_code(4001), ctx);
  EXPECT_TRUE(msg.starts_with("song.xyz is not a format the cloud accepts. Supported: mp4, mov, ")) << msg;
  for (const char* ext : {"mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac", "flac"}) {
    EXPECT_TRUE(contains(msg, ext)) << ext;
  }
  EXPECT_TRUE(contains(msg, mv::vendor_supported_formats()));
}

TEST(CloudErrors, FileTooLargeSuggestsTrimOrCompressWithSizes) {
  CloudErrorContext ctx;
  ctx.file = "set.wav";
  ctx.file_mb = 612.44;
  ctx.limit_mb = 500;
  const std::string msg = mv::cloud_error_message(*mv::kind_from_vendor_code(4002), ctx);
  EXPECT_EQ(msg, "set.wav is 612.4 MB; the cloud accepts up to 500 MB. Trim it or compress it and try again.");
}

TEST(CloudErrors, DetailIsAppendedInParentheses) {
  CloudErrorContext ctx;
  ctx.detail = "Could not resolve host: mega-api-prod.nemovideo.ai";
  const std::string msg = mv::cloud_error_message(CloudErrorKind::Network, ctx);
  EXPECT_TRUE(msg.ends_with(" (Could not resolve host: mega-api-prod.nemovideo.ai)")) << msg;
  EXPECT_TRUE(mv::cloud_error_message(CloudErrorKind::Network, {}).ends_with("try again."));
}

TEST(CloudErrors, NoCreditsNeverShowsTheDetail) {
  CloudErrorContext ctx;
  ctx.registration_url = "https://nemovideo.ai/register";
  ctx.detail = "server says: quota exceeded";
  EXPECT_FALSE(contains(mv::cloud_error_message(CloudErrorKind::NoCredits, ctx), "quota"));
}

TEST(CloudErrors, BearerTokenInDetailIsNotEchoed) {
  CloudErrorContext ctx;
  ctx.detail = "request failed: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.secret-part more";
  for (CloudErrorKind kind : kAllKinds) {
    const std::string msg = mv::cloud_error_message(kind, ctx);
    EXPECT_FALSE(contains(msg, "eyJhbGciOiJIUzI1NiJ9")) << mv::cloud_error_id(kind);
    EXPECT_FALSE(contains(msg, "secret-part")) << mv::cloud_error_id(kind);
  }
  EXPECT_TRUE(contains(mv::cloud_error_message(CloudErrorKind::ServerError, ctx), "Bearer ***"));
  ctx.detail = "BEARER abc123";
  EXPECT_FALSE(contains(mv::cloud_error_message(CloudErrorKind::BadResponse, ctx), "abc123"));
}

TEST(CloudErrors, TokenFieldInDetailIsNotEchoed) {
  CloudErrorContext ctx;
  ctx.detail = "echo token=abc123&x=1 and \"token\": \"def456\"";
  const std::string msg = mv::cloud_error_message(CloudErrorKind::BadResponse, ctx);
  EXPECT_FALSE(contains(msg, "abc123")) << msg;
  EXPECT_FALSE(contains(msg, "def456")) << msg;
}

TEST(CloudErrors, RawJsonDetailIsNotShown) {
  CloudErrorContext ctx;
  ctx.detail = R"({"code": 5000, "message": "internal", "data": {}})";
  EXPECT_EQ(mv::cloud_error_message(CloudErrorKind::BadResponse, ctx),
            mv::cloud_error_message(CloudErrorKind::BadResponse, {}));
}

TEST(CloudErrors, LongDetailIsCutAndOnOneLine) {
  CloudErrorContext ctx;
  ctx.detail = "line one\nline two " + std::string(500, 'x');
  const std::string msg = mv::cloud_error_message(CloudErrorKind::ServerError, ctx);
  EXPECT_FALSE(contains(msg, "\n"));
  EXPECT_TRUE(contains(msg, "(line one line two x"));
  EXPECT_LT(msg.size(), 400U);
}

TEST(CloudErrors, StreamCutSaysTheClientIsChecking) {
  EXPECT_EQ(mv::cloud_error_message(CloudErrorKind::StreamCut, {}),
            "The connection dropped in the middle of a reply; checking what the backend did…");
}

TEST(CloudErrors, CodesMapForExitCodes) {
  EXPECT_EQ(mv::cloud_error_code(CloudErrorKind::Cancelled), mv::ErrorCode::Cancelled);
  EXPECT_EQ(mv::cloud_error_code(CloudErrorKind::UnsupportedFile), mv::ErrorCode::InputInvalid);
  EXPECT_EQ(mv::cloud_error_code(CloudErrorKind::FileTooLarge), mv::ErrorCode::InputInvalid);
  EXPECT_EQ(mv::cloud_error_code(CloudErrorKind::NoCredits), mv::ErrorCode::Media);
  EXPECT_EQ(mv::cloud_error_code(CloudErrorKind::Network), mv::ErrorCode::Media);
}

TEST(CloudErrors, CloudErrorIsAnMvErrorWithKindStatusAndCode) {
  CloudErrorContext ctx;
  ctx.anonymous = false;
  try {
    throw mv::CloudError(CloudErrorKind::NoCredits, ctx, 200, 2001);
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Media);
    EXPECT_EQ(std::string(e.what()), mv::cloud_error_message(CloudErrorKind::NoCredits, ctx));
    const auto* cloud = dynamic_cast<const mv::CloudError*>(&e);
    ASSERT_NE(cloud, nullptr);
    EXPECT_EQ(cloud->kind(), CloudErrorKind::NoCredits);
    EXPECT_EQ(cloud->http_status(), 200);
    EXPECT_EQ(cloud->vendor_code(), 2001);
  }
}

TEST(CloudErrors, VendorAcceptsExtension) {
  for (const char* ext : {"mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png", "gif", "webp", "mp3", "wav", "m4a",
                          "aac", "flac"}) {
    EXPECT_TRUE(mv::vendor_accepts_extension(ext)) << ext;
  }
  EXPECT_TRUE(mv::vendor_accepts_extension("MP4"));
  EXPECT_TRUE(mv::vendor_accepts_extension(".wav"));
  for (const char* ext : {"", "ogg", "txt", "exe", "mp", "mp44", "tiff"}) {
    EXPECT_FALSE(mv::vendor_accepts_extension(ext)) << ext;
  }
}

}  // namespace

#include "mv/net/http.hpp"

namespace {

TEST(Secrets, RedactionHidesBearerAndTokenValuesAndKeepsTheRest) {
  EXPECT_EQ(mv::redact_secrets("Authorization: Bearer abc.def-123 sent"), "Authorization: Bearer *** sent");
  EXPECT_EQ(mv::redact_secrets("bearer\tXYZ,next"), "bearer\t***,next");
  EXPECT_EQ(mv::redact_secrets(R"({"token": "nmv_secret", "user": "u1"})"), R"({"token": "***", "user": "u1"})");
  EXPECT_EQ(mv::redact_secrets("https://h/x?access_token=s3cr3t&a=1"), "https://h/x?access_token=***&a=1");
  EXPECT_EQ(mv::redact_secrets("TOKEN = abc; ok"), "TOKEN = ***; ok");
  EXPECT_EQ(mv::redact_secrets("no secrets, a token here"), "no secrets, a token here");
  EXPECT_EQ(mv::redact_secrets("a bearer here"), "a bearer ***");  // over-redacting is the safe side
  EXPECT_EQ(mv::redact_secrets("Bearer "), "Bearer ");
  EXPECT_EQ(mv::redact_secrets("token="), "token=");
  EXPECT_EQ(mv::redact_secrets(""), "");
}

TEST(Secrets, RedactionOfAHugeServerMessageNeitherCrashesNorLeaks) {
  // Found by fuzz/fuzz-api-answer: std::regex recursed per character and overflowed the stack.
  const std::string secret(200000, 'k');
  const std::string out = mv::redact_secrets("error: Bearer " + secret + " and token=" + secret);
  EXPECT_EQ(out, "error: Bearer *** and token=***");
}

}  // namespace
