/* sync-pair.c — a test fixture OBS module for the end-to-end tests (never installed):
 * the source "mv_e2e_sync_pair" shows one white frame and sounds one click at the same
 * moment of OBS's clock, every 500 ms, and is black and silent in between. Recorded,
 * the click's distance from the white frame is how far OBS's own pipeline (mix,
 * encoders, muxer) moves sound against picture, with no source's timing in it: the
 * reference the live look's sync is read against (tests/e2e/test_live_look_e2e.py).
 *
 * Picture: a synchronous source (video_render on OBS's graphics thread), white on the
 * frame whose video time (obs_get_video_frame_time()) is the nearest to a pulse time.
 * Sound: a thread outputs 10 ms blocks of 48 kHz stereo (obs_source_output_audio), each
 * stamped with the OBS clock time of its first sample, paced by that clock; a pulse
 * starts a click (1.5 kHz, 25 ms decay) on its exact sample. The pulse times are
 * base + k * 500 ms, base an OBS video frame time taken when the source is created, so
 * every pulse falls on a frame time at 30 and 60 fps, or the setting phase_ms after one.
 * (OBS's own test-input module has such a pair; Debian does not ship it.)
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <obs-module.h>
#include <util/platform.h>

OBS_DECLARE_MODULE()

#define RATE 48000
#define BLOCK 480                      /* 10 ms */
#define PERIOD_NS 500000000ULL         /* a pulse every 500 ms */
#define PULSE_SAMPLES (RATE / 2)       /* 500 ms in samples */

struct sync_pair {
	obs_source_t *source;
	uint64_t base_ns; /* an OBS video frame time + the setting phase_ms: pulse k sounds at base + k * PERIOD */
	pthread_t thread;
	atomic_bool stop; /* set by destroy, read by the audio thread */
	bool thread_started;
};

static const char *sp_name(void *unused)
{
	UNUSED_PARAMETER(unused);
	return "E2E Sync Pair";
}

static void *sp_audio_thread(void *data)
{
	struct sync_pair *sp = data;
	float left[BLOCK], right[BLOCK];
	/* Sample n of the stream sounds at base + n / RATE s; start at the next whole block
	 * after now so that the first block is not in OBS's past. */
	uint64_t now = os_gettime_ns();
	uint64_t n = now > sp->base_ns ? (now - sp->base_ns) * RATE / 1000000000ULL / BLOCK * BLOCK + BLOCK : 0;
	while (!atomic_load(&sp->stop)) {
		const uint64_t ts = sp->base_ns + n * 1000000000ULL / RATE;
		now = os_gettime_ns();
		if (ts > now + 20000000ULL) { /* more than 20 ms ahead: wait */
			os_sleep_ms(2);
			continue;
		}
		for (int i = 0; i < BLOCK; ++i) {
			const uint64_t in_pulse = (n + (uint64_t)i) % PULSE_SAMPLES;
			float s = 0.0f;
			if (in_pulse < RATE / 20) { /* 50 ms */
				const double t = (double)in_pulse / RATE;
				s = (float)(0.8 * sin(2.0 * 3.14159265358979 * 1500.0 * t) * exp(-t * 40.0));
			}
			left[i] = right[i] = s;
		}
		struct obs_source_audio audio = {0};
		audio.data[0] = (const uint8_t *)left;
		audio.data[1] = (const uint8_t *)right;
		audio.frames = BLOCK;
		audio.speakers = SPEAKERS_STEREO;
		audio.format = AUDIO_FORMAT_FLOAT_PLANAR;
		audio.samples_per_sec = RATE;
		audio.timestamp = ts;
		obs_source_output_audio(sp->source, &audio);
		n += BLOCK;
	}
	return NULL;
}

static void *sp_create(obs_data_t *settings, obs_source_t *source)
{
	struct sync_pair *sp = bzalloc(sizeof(*sp));
	sp->source = source;
	sp->base_ns = obs_get_video_frame_time();
	if (sp->base_ns == 0)
		sp->base_ns = os_gettime_ns();
	/* phase_ms (0..400): the pulses that far after the frame times; the white frame is then the one nearest. */
	const long long phase_ms = obs_data_get_int(settings, "phase_ms");
	if (phase_ms > 0 && phase_ms < 400)
		sp->base_ns += (uint64_t)phase_ms * 1000000ULL;
	sp->thread_started = pthread_create(&sp->thread, NULL, sp_audio_thread, sp) == 0;
	return sp;
}

static void sp_destroy(void *data)
{
	struct sync_pair *sp = data;
	atomic_store(&sp->stop, true);
	if (sp->thread_started)
		pthread_join(sp->thread, NULL);
	bfree(sp);
}

static uint32_t sp_width(void *data)
{
	UNUSED_PARAMETER(data);
	return 64;
}

static uint32_t sp_height(void *data)
{
	UNUSED_PARAMETER(data);
	return 36;
}

static void sp_render(void *data, gs_effect_t *unused)
{
	UNUSED_PARAMETER(unused);
	struct sync_pair *sp = data;
	const uint64_t frame_ns = obs_get_video_frame_time();
	const uint64_t since = frame_ns > sp->base_ns ? (frame_ns - sp->base_ns) % PERIOD_NS : PERIOD_NS / 2;
	const uint64_t from_pulse = since < PERIOD_NS / 2 ? since : PERIOD_NS - since;
	struct obs_video_info ovi;
	uint64_t half_frame = 8000000ULL;
	if (obs_get_video_info(&ovi) && ovi.fps_num > 0)
		half_frame = 500000000ULL * ovi.fps_den / ovi.fps_num;
	const bool white = from_pulse < half_frame;
	gs_effect_t *solid = obs_get_base_effect(OBS_EFFECT_SOLID);
	struct vec4 colour;
	vec4_set(&colour, white ? 1.0f : 0.0f, white ? 1.0f : 0.0f, white ? 1.0f : 0.0f, 1.0f);
	gs_effect_set_vec4(gs_effect_get_param_by_name(solid, "color"), &colour);
	while (gs_effect_loop(solid, "Solid"))
		gs_draw_sprite(NULL, 0, 64, 36);
}

bool obs_module_load(void)
{
	struct obs_source_info info = {0};
	info.id = "mv_e2e_sync_pair";
	info.type = OBS_SOURCE_TYPE_INPUT;
	info.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_AUDIO | OBS_SOURCE_CUSTOM_DRAW; /* it draws with its own effect */
	info.get_name = sp_name;
	info.create = sp_create;
	info.destroy = sp_destroy;
	info.get_width = sp_width;
	info.get_height = sp_height;
	info.video_render = sp_render;
	obs_register_source(&info);
	return true;
}
