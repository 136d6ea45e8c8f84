#!/bin/bash
# make_order_set.sh OUT: the two-scene order set (issue 25), built from the
# real clips in ../shared/data/real-clips (relative to the repository root).
#
# Each sample is 48 frames of an OUTDOOR clip followed by 48 frames of an
# INDOOR clip (class outdoor_then_indoor), or the same two 48-frame pieces the
# other way round (class indoor_then_outdoor). Both classes hold the same
# footage; only the order of the two pieces differs, so a model blind to order
# (mean_pool) can do no better than chance, while "which scene comes first"
# is one cue shared by every sample.
#
# No leakage across a group split: the 39 usable source clips are partitioned
# into 12 groups (the table below); a sample pairs only clips of one group and
# is named with that group (v_<Class>_gNN_cNN.avi), so `--split groups` never
# puts a source clip on both sides. v_Basketball_g01_c01 and _c02 (the same
# gym, the same UCF group) share a group. Each pair is cut at frame offsets
# 0, 48 and 96 of both clips where both are long enough (offset 0 always).
# Frames are cropped to 4:3, scaled to 320x240 and written as MJPEG at 25 fps
# (as the arrow-of-time set's make.sh), whatever the sources' rates.
#
# Left out as neither clearly indoor nor clearly outdoor from their frames:
# diving (outdoor pool), ucf101_v_BreastStroke (pool close-up),
# ucf101_v_Fencing (hall like a court), hmdb51_jump_6 (40 frames),
# kinetics_cleaning_pool_test.
set -euo pipefail
out=${1:?usage: make_order_set.sh OUT_FOLDER}
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/../shared/data/real-clips"
if [ ! -f "$src/MANIFEST.tsv" ]; then
    echo "make_order_set.sh: $src is absent (the real clips live beside the repository); nothing made"
    exit 0
fi
command -v ffmpeg >/dev/null || { echo "make_order_set.sh: ffmpeg not found"; exit 1; }
mkdir -p "$out/outdoor_then_indoor" "$out/indoor_then_outdoor"

# group kind path (kind: O outdoor, I indoor)
table="
01 O basketball/v_Basketball_g07_c04.avi
02 O basketball/pexels_basketball_pavel_danilyuk.mp4
03 O biking/v_Biking_g01_c01.avi
04 O biking/v_Biking_g02_c05.avi
05 O horse_riding/v_HorseRiding_g01_c03.avi
06 O soccer_juggling/v_SoccerJuggling_g23_c01.avi
07 O soccer_juggling/v_SoccerJuggling_g24_c01.avi
08 O horse_riding/v_HorseRiding_g10_c01.avi
09 O walking/v_WalkingWithDog_g01_c01.avi
10 O walking/v_WalkingWithDog_g10_c03.avi
11 O walking/activitynet_v_ZNVhz7ctTq0_walking_the_dog.mp4
12 O _other/ucf101_v_CliffDiving_g03_c01.avi
01 O _other/ucf101_v_SkateBoarding_g02_c01.avi
02 O _other/hmdb51_SchoolRulesHowTheyHelpUs_wave_f_nm_np1_ba_med_0.avi
03 O _other/hmdb51_TrumanShow_wave_f_nm_np1_fr_med_26.avi
04 O _other/hmdb51_dive_1.mp4
05 O _other/hmdb51_swing_baseball_2.mp4
06 O _other/hmdb51_climb_stairs_4.mp4
07 O _other/hmdb51_shoot_gun_5.mp4
08 O _other/kinetics_segway_R6llTwEh07w.mp4
09 O _other/kinetics_segway_SOX5yA1l24A.mp4
10 O _other/kinetics_segway_WUzgd7C1pWA.mp4
11 O _other/kinetics_abseiling_k400.mp4
01 I basketball/v_Basketball_g01_c01.avi
01 I basketball/v_Basketball_g01_c02.avi
02 I _other/activitynet_v_GGSY1Qvo990_weightlifting.mp4
03 I _other/ucf101_v_ApplyEyeMakeup_g01_c01.avi
04 I _other/ucf101_v_Archery_example.avi
05 I _other/ucf101_v_IceDancing_g02_c05.avi
06 I _other/ucf101_v_SalsaSpin_g03_c01.avi
07 I _other/ucf101_v_PlayingGuitar_g16_c02.avi
08 I _other/ucf101_v_PushUps_g02_c03.avi
09 I _other/ucf101_v_HeadMassage_g02_c05.avi
10 I _other/hmdb51_RATRACE_wave_f_nm_np1_fr_goo_37.avi
11 I _other/hmdb51_cartwheel_Turnk_r_Pippi_Michel_f_cm_np2_le_med_6.avi
12 I _other/hmdb51_drink_0.mp4
02 I _other/hmdb51_handstand_3.mp4
03 I _other/kinetics_arm_wrestling_demo.mp4
04 I _other/kinetics_flipping_a_pancake.mkv
"
frames_of() { awk -F'\t' -v f="$1" '$1 == f { print $9 }' "$src/MANIFEST.tsv"; }
piece="settb=1/25,setpts=N,scale=320:240:force_original_aspect_ratio=increase,crop=320:240,setsar=1"
cut() { # input-index offset -> filter for a 48-frame piece
    echo "[$1:v]trim=start_frame=$2:end_frame=$(($2 + 48)),$piece[p$1]"
}
made=0
rm -f "$out/PAIRS.tsv.new"
declare -A count
for g in $(echo "$table" | awk 'NF { print $1 }' | sort -u); do
    outs=$(echo "$table" | awk -v g="$g" '$1 == g && $2 == "O" { print $3 }')
    ins=$(echo "$table" | awk -v g="$g" '$1 == g && $2 == "I" { print $3 }')
    for o in $outs; do
        for i in $ins; do
            no=$(frames_of "$o"); ni=$(frames_of "$i")
            for off in 0 48 96; do
                if [ "$off" -gt 0 ] && { [ "$no" -lt $((off + 48)) ] || [ "$ni" -lt $((off + 48)) ]; }; then
                    continue
                fi
                c=$(( ${count[$g]:-0} + 1 )); count[$g]=$c
                name=$(printf "g%s_c%02d" "$g" "$c")
                # outdoor first: input 0 = outdoor, input 1 = indoor
                ffmpeg -nostdin -loglevel error -y -i "$src/$o" -i "$src/$i" -filter_complex \
                    "$(cut 0 $off);$(cut 1 $off);[p0][p1]concat=n=2:v=1:a=0[v]" -map "[v]" -an \
                    -r 25 -c:v mjpeg -q:v 5 "$out/outdoor_then_indoor/v_OutIn_$name.avi"
                ffmpeg -nostdin -loglevel error -y -i "$src/$o" -i "$src/$i" -filter_complex \
                    "$(cut 0 $off);$(cut 1 $off);[p1][p0]concat=n=2:v=1:a=0[v]" -map "[v]" -an \
                    -r 25 -c:v mjpeg -q:v 5 "$out/indoor_then_outdoor/v_InOut_$name.avi"
                printf "%s\t%s\t%s\t%d\n" "$name" "$o" "$i" "$off" >> "$out/PAIRS.tsv.new"
                made=$((made + 1))
            done
        done
    done
done
mv "$out/PAIRS.tsv.new" "$out/PAIRS.tsv"
echo "made $made pairs ($((2 * made)) clips) in $out, 12 groups; PAIRS.tsv lists name, outdoor clip, indoor clip, offset"
